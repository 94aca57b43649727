/**
 * The escaping every XML feed is written with. Each string is escaped once,
 * for where it lands, while the document is written: text nodes escape `&`,
 * `<` and `>`; attributes escape `"` as well; CDATA holds markup as it is,
 * split wherever it holds `]]>`. Nothing is re-read afterwards. Stored text
 * holds no character XML 1.0 forbids (the schema strips them on write, and
 * older items are cleaned when mapped), so escaping is all a value needs.
 */
const TEXT = /[&<>]/g;
const ATTRIBUTE = /[&<>"]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escaped(character: string): string {
  return ESCAPES[character] ?? character;
}

/** Escapes a value for an XML text node (quotes stay as they are). */
export function escapeText(value: string): string {
  return /[&<>]/.test(value) ? value.replace(TEXT, escaped) : value;
}

/** Escapes a value for a double-quoted XML attribute. */
export function escapeXml(value: string): string {
  return /[&<>"]/.test(value) ? value.replace(ATTRIBUTE, escaped) : value;
}

/** A CDATA section holding `value` as it is: each `]]>` in it ends one section and starts the next. */
export function cdata(value: string): string {
  return `<![CDATA[${value.includes(']]>') ? value.replaceAll(']]>', ']]]]><![CDATA[>') : value}]]>`;
}

/** Namespace declarations for a root element's start tag: ` xmlns:prefix="uri"` each. */
export function xmlns(namespaces: Record<string, string>): string {
  let declarations = '';
  for (const [prefix, uri] of Object.entries(namespaces)) declarations += ` xmlns:${prefix}="${uri}"`;
  return declarations;
}
