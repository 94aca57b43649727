/**
 * The `feed` package serialises with xml-js, which gets three things wrong:
 * it turns `&amp;` in text back into `&` before escaping, it splits only the
 * first `]]>` of a CDATA section, and it escapes nothing but `"` in
 * attributes (the package itself escapes `&` in some). A `Shield` hands each
 * string to the generator in a form it writes correctly: most strings as they
 * are, attributes escaped by us, and the rare string the generator would get
 * wrong with `&`, `<` and `>` replaced by noncharacters (which the schema
 * strips from input, so they cannot occur in real text), turned back by
 * `restore` into the right form for where they landed. A page with no such
 * string is never re-read.
 *
 * An item's full text (nine tenths of a page) goes to the generator as a
 * short stand-in that `restore` replaces: xml-js joins its output anew at
 * every level of nesting, and the full text need not be copied each time.
 * The generator still writes every element around it.
 */
const MARK = { amp: '\uFDD0', lt: '\uFDD1', gt: '\uFDD2' } as const;

const SPECIALS = /[&<>]/g;
const SHIELDED: Record<string, string> = { '&': MARK.amp, '<': MARK.lt, '>': MARK.gt };

function hide(value: string): string {
  return value.replace(SPECIALS, (c) => SHIELDED[c] ?? c);
}

/** Opens and closes a stand-in for a full text: noncharacters, like the marks. */
const HELD_OPEN = '\uFDD4';
const HELD_CLOSE = '\uFDD5';
const HELD = /\uFDD4(\d{1,6})\uFDD5/g;

/** Prepares the strings of one document for the generator, and restores its output. */
export class Shield {
  private hidden = false;
  private readonly held: string[] = [];

  /** A full text the generator writes in a CDATA section: a stand-in until `restore`. */
  fullText(value: string): string {
    this.held.push(value);
    return `${HELD_OPEN}${this.held.length - 1}${HELD_CLOSE}`;
  }

  /** A value the generator writes as a text node (it escapes it, but un-escapes `&amp;` first). */
  text(value: string): string {
    if (!value.includes('&amp;')) return value;
    this.hidden = true;
    return hide(value);
  }

  /** A value the generator writes in a CDATA section (it splits only the first `]]>`). */
  cdata(value: string): string {
    if (!value.includes(']]>')) return value;
    this.hidden = true;
    return hide(value);
  }

  /** An attribute value the generator escapes `&` in itself (Atom categories): only `<` needs hiding. */
  ampersandEscaped(value: string): string {
    if (!value.includes('<')) return value;
    this.hidden = true;
    return hide(value);
  }

  /**
   * The generator's output with the full texts in place (a `]]>` in one splits
   * its CDATA section) and every hidden character restored for where it landed.
   */
  restore(xml: string): string {
    let restored = xml;
    if (this.held.length > 0) {
      const parts: string[] = [];
      let at = 0;
      HELD.lastIndex = 0;
      for (let match = HELD.exec(xml); match !== null; match = HELD.exec(xml)) {
        const value = this.held[Number(match[1])];
        if (value === undefined) continue;
        parts.push(xml.slice(at, match.index), value.replaceAll(']]>', ']]]]><![CDATA[>'));
        at = match.index + match[0].length;
      }
      parts.push(xml.slice(at));
      restored = parts.join('');
    }
    return this.hidden ? unshield(restored) : restored;
  }
}

const LITERAL: Record<string, string> = { [MARK.amp]: '&', [MARK.lt]: '<', [MARK.gt]: '>' };
const ESCAPED: Record<string, string> = { [MARK.amp]: '&amp;', [MARK.lt]: '&lt;', [MARK.gt]: '&gt;' };
const CDATA_OPEN = '<![CDATA[';

/**
 * Restores hidden characters in one pass: escaped outside CDATA, literal
 * inside it — where a restored `>` that would close the section (`]]>`)
 * splits it in two instead.
 */
function unshield(xml: string): string {
  let inCdata = false;
  return xml.replace(/<!\[CDATA\[|\]\]>|[\uFDD0-\uFDD2]/g, (match, offset: number) => {
    if (match === CDATA_OPEN) {
      inCdata = true;
      return match;
    }
    if (match === ']]>') {
      inCdata = false;
      return match;
    }
    if (!inCdata) return ESCAPED[match] ?? match;
    if (match === MARK.gt && xml.charCodeAt(offset - 1) === 93 && xml.charCodeAt(offset - 2) === 93) {
      return ']]><![CDATA[>';
    }
    return LITERAL[match] ?? match;
  });
}

/** Adds namespace declarations to the root element, skipping those it already has. */
export function declareNamespaces(xml: string, root: string, namespaces: Record<string, string>): string {
  const start = xml.indexOf(`<${root}`);
  const end = xml.indexOf('>', start);
  if (start < 0 || end < 0) throw new Error(`no <${root}> element`);
  const tag = xml.slice(start, end);
  const missing = Object.entries(namespaces)
    .filter(([prefix]) => !tag.includes(` xmlns:${prefix}=`))
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  return xml.slice(0, end) + missing + xml.slice(end);
}

/** Inserts `fragment` before the last occurrence of `closing` (e.g. `</channel>`). */
export function insertBeforeLast(xml: string, closing: string, fragment: string): string {
  const at = xml.lastIndexOf(closing);
  if (at < 0) throw new Error(`no ${closing}`);
  return xml.slice(0, at) + fragment + xml.slice(at);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes a value for an XML attribute or text node written by hand. */
export function escapeXml(value: string): string {
  return /[&<>"]/.test(value) ? value.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c) : value;
}
