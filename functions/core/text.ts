/**
 * Text hygiene shared by the schema and the feed renderers: whatever reaches a
 * feed must be representable in XML 1.0 and survive a parser round trip.
 */

/**
 * Code points XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF) plus the noncharacters U+FDD0–U+FDEF, which Unicode reserves
 * for internal use and which the XML renderers use as private markers.
 */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes every character XML 1.0 cannot carry (and lone surrogates), normalises line ends and NFC. */
export function cleanText(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/\r\n?/g, '\n').normalize('NFC');
}

/** Cleans a one-line field: forbidden characters removed, every run of white space one space, trimmed. */
export function cleanLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

/** True when the string holds a character that cleanText would remove. */
export function hasForbiddenCharacters(value: string): boolean {
  FORBIDDEN.lastIndex = 0;
  const found = FORBIDDEN.test(value);
  FORBIDDEN.lastIndex = 0;
  return found;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Turns a plain-text HTML fragment into text: tags dropped, the common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
      const lower = e.toLowerCase();
      if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[lower] ?? '';
    });
}

/** Size of a string in UTF-8 bytes. */
export function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}
