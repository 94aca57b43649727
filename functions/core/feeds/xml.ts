import { SaxesParser } from 'saxes';

/**
 * The `feed` package serialises with xml-js, which un-escapes `&amp;` before
 * escaping, splits only the first `]]>` of a CDATA section and leaves `<` and
 * `&` raw in some attributes. Rather than depend on those quirks, every string
 * we hand it has `&`, `<` and `>` replaced by noncharacters (which the schema
 * strips from input, so they cannot occur in real text), and `finishXml`
 * turns them back into the right form for where they landed.
 */
const MARK = { amp: '\uFDD0', lt: '\uFDD1', gt: '\uFDD2' } as const;
const MARKS = /[\uFDD0-\uFDD2]/g;

/** Hides XML-special characters from the generator; undone by finishXml. */
export function shield(value: string): string {
  return value.replace(/&/g, MARK.amp).replace(/</g, MARK.lt).replace(/>/g, MARK.gt);
}

const LITERAL: Record<string, string> = { [MARK.amp]: '&', [MARK.lt]: '<', [MARK.gt]: '>' };
const ESCAPED: Record<string, string> = { [MARK.amp]: '&amp;', [MARK.lt]: '&lt;', [MARK.gt]: '&gt;' };

/**
 * Restores shielded characters: escaped outside CDATA, literal inside it
 * (with every `]]>` split across two sections).
 */
export function unshield(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(MARKS, (m) => ESCAPED[m] ?? m);
      const inner = part.slice(9, -3).replace(MARKS, (m) => LITERAL[m] ?? m);
      return `<![CDATA[${inner.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
    })
    .join('');
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
