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

/** Number of characters (code points, not UTF-16 units) in a string. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * The slug that names a writer's or topic's feed in URLs and keys: lower
 * case, accents dropped, every run of anything but letters and digits one
 * hyphen ("Drug resistance" → `drug-resistance`, "Zoë Ng" → `zoe-ng`).
 * Letters of every script are kept (王毅 → `王毅`); empty when nothing is left.
 */
export function slugify(value: string): string {
  const slug = value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return Array.from(slug).slice(0, SLUG_LENGTH).join('').replace(/-+$/, '');
}

/** Longest slug, in characters. */
export const SLUG_LENGTH = 80;

/** True for a string that is a slug as `slugify` makes them (used to validate ids from URLs and the CMS). */
export function isSlug(value: string): boolean {
  return value !== '' && slugify(value) === value;
}
