/**
 * A full text reduced to the HTML elements a partner renders: each element
 * not on its list is renamed to the allowed element that carries it (a
 * figure to a div, its caption to a paragraph, an h6 to an h5), or else
 * unwrapped, its text kept. A video becomes its fallback — the link to the
 * file around the poster — so caption and credit stay as text beside it.
 * The input is the sanitised full text Newswire writes, whose tags are
 * well-formed; attributes of kept elements stay as they are.
 */
const RENAMED: Record<string, string> = { figure: 'div', figcaption: 'p', h6: 'h5' };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)?>/g;

/** The HTML with only `allowed` elements left (see above). */
export function allowedHtml(html: string, allowed: readonly string[]): string {
  const kept = new Set(allowed);
  return html.replace(TAG, (tag, close: string, name: string, attributes: string | undefined) => {
    const element = name.toLowerCase();
    if (kept.has(element)) return tag;
    const renamed = RENAMED[element];
    if (renamed !== undefined && kept.has(renamed)) return `<${close}${renamed}${attributes ?? ''}>`;
    return '';
  });
}
