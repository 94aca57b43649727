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

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Every reference that can yield `<` or `&` (and so rebuild markup or another
 * reference) and the other common ones: numeric, with or without `;` as
 * browsers read them, and the named ones in any case, the legacy ones (all
 * but `apos`) also without `;`.
 */
const COMMON_REFERENCE = /&(?:#(?:[xX]([0-9a-fA-F]{1,8})|(\d{1,8}));?|(amp|lt|gt|quot|nbsp);?|(apos);)/gi;

/** Decodes the common character references (see COMMON_REFERENCE); a code point past U+10FFFF becomes U+FFFD. */
function decodeCommon(text: string): string {
  return text.replace(
    COMMON_REFERENCE,
    (_, hex?: string, decimal?: string, legacy?: string, apos?: string) => {
      if (hex === undefined && decimal === undefined)
        return NAMED[(legacy ?? apos ?? '').toLowerCase()] ?? '';
      try {
        // A NUL or lone surrogate this makes is removed by cleanText, as every forbidden character is.
        return String.fromCodePoint(hex === undefined ? Number(decimal) : Number.parseInt(hex, 16));
      } catch {
        return '\uFFFD';
      }
    },
  );
}

/** Turns a plain-text HTML fragment into text: tags dropped, the common entities decoded. */
export function htmlToText(html: string): string {
  return decodeCommon(html.replace(/<[^>]*>/g, ''));
}

/**
 * A `<` that could still open a tag, a comment or a declaration once some
 * reader decodes or renders the text as HTML (`<b`, `</`, `<!`, `<?`, or `<&`
 * which a reference may turn into a letter): plain text keeps none.
 */
export const TAG_OPENER = /<(?=[A-Za-z!/?&])/g;

/**
 * Rounds of decoding and stripping before text is given up as nested on
 * purpose: real text needs one or two. Past them every `<` and `&` goes, which
 * leaves nothing to decode or strip.
 */
export const PLAIN_TEXT_ROUNDS = 16;

/**
 * Runs `round` (decode references, strip markup, drop tag openers) until the
 * text stops changing, so no `<letter` survives however many times markup was
 * entity-encoded, and the result is its own fixed point (`round` leaves it as
 * it is). `settled` is false when the rounds ran out and `<` and `&` were dropped.
 */
export function untilUnchanged(
  value: string,
  round: (text: string) => string,
): { text: string; settled: boolean } {
  let text = cleanText(value);
  for (let i = 0; i < PLAIN_TEXT_ROUNDS; i++) {
    let next = cleanText(round(text));
    if (next === text) {
      // Nothing left to decode or strip: what remains of a tag is a `<` the parser took for text.
      next = text.replace(TAG_OPENER, '');
      if (next === text) return { text, settled: true };
    }
    text = next;
  }
  return { text: text.replace(/[<&]/g, ''), settled: false };
}

/** A tag, comment or declaration: `<` and what can open one, up to the next `>`. */
const TAG = /<(?=[A-Za-z!/?])[^>]*>/g;

/**
 * The renderers' rule for a plain-text field stored under older rules (or by
 * hand): tags stripped and the common references decoded until nothing
 * changes, then one line. Text written under the current rules comes out as
 * it went in (it holds no tag and no reference left to decode).
 */
export function plainLine(value: string): string {
  return cleanLine(untilUnchanged(value, (text) => decodeCommon(text.replace(TAG, ' '))).text);
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
