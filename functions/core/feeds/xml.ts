import { SaxesParser } from 'saxes';

/**
 * The `feed` package serialises with xml-js, which un-escapes `&amp;` before
 * escaping, splits only the first `]]>` of a CDATA section and leaves `<` and
 * `&` raw in some attributes. Rather than depend on those quirks, every string
 * we hand it has `&`, `<` and `>` replaced by noncharacters (which the schema
 * strips from input, so they cannot occur in real text), and `unshield`
 * turns them back into the right form for where they landed.
 */
const MARK = { amp: '\uFDD0', lt: '\uFDD1', gt: '\uFDD2' } as const;

/** A noncharacter a renderer may put first in a shielded string to tag it (e.g. "send as text"). */
export const TAG_MARK = '\uFDD3';

const SPECIAL = /[&<>]/;
const SPECIALS = /[&<>]/g;
const SHIELDED: Record<string, string> = { '&': MARK.amp, '<': MARK.lt, '>': MARK.gt };

/** Hides XML-special characters from the generator; undone by unshield. */
export function shield(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => SHIELDED[c] ?? c) : value;
}

const LITERAL: Record<string, string> = { [MARK.amp]: '&', [MARK.lt]: '<', [MARK.gt]: '>' };
const ESCAPED: Record<string, string> = { [MARK.amp]: '&amp;', [MARK.lt]: '&lt;', [MARK.gt]: '&gt;' };
const CDATA_OPEN = '<![CDATA[';

/**
 * Restores shielded characters in one pass: escaped outside CDATA, literal
 * inside it — where a restored `>` that would close the section (`]]>`)
 * splits it in two instead.
 */
export function unshield(xml: string): string {
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

/** Parses a document with a strict, namespace-aware parser; returns the first error or undefined. */
export function xmlError(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let error: string | undefined;
  parser.on('error', (e) => {
    error ??= e.message;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  return error;
}

/** Escapes a value for an XML attribute or text node written by hand. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
