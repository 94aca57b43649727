import type { Article } from '../article.ts';
import { utf8Length } from '../text.ts';

/**
 * A feed page stops by size as well as by count: the sum of its items'
 * weights stays within this budget (a page always has at least one item),
 * for every kind of feed, Top Stories included. With the channel's own few
 * KB, every format of every page stays under 2,000,000 bytes; Lambda refuses
 * responses over 6 MB (the JSON envelope included, and a compressed body
 * grows by a third in base64), so a page is never near that, and a single
 * item — the largest article the write API accepts — is well under it.
 */
export const PAGE_BUDGET_BYTES = 1_950_000;

/** Room for what every item carries besides its text: elements, dates, guid, links. */
const ITEM_OVERHEAD = 4096;
/** Room per writer and per photo or video (elements and attributes around their text). */
const PART_OVERHEAD = 1024;
/**
 * Room per topic besides its text: its page's URL in RSS and Atom (the base URL and a slug of at
 * most 80 characters, 4 bytes each at most) and the category elements around it.
 */
const TOPIC_OVERHEAD = 512;

/**
 * Bytes a string can take once rendered: each character XML or JSON escapes
 * may grow to six bytes (`&quot;`, and a backslash doubled again in the
 * Lambda response's JSON), every other byte stays one.
 */
function rendered(value: unknown): number {
  if (typeof value !== 'string') return 0;
  let specials = 0;
  for (const match of value.matchAll(/[&<>"'\\\n\r\t]/g)) specials += match[0].length;
  return utf8Length(value) + 5 * specials;
}

/**
 * Bytes an article's body can take once rendered. It goes out once per
 * format, never escaped as XML text: in CDATA in RSS and Atom (markup as it
 * is; each `]]>` splits the section, 12 bytes more) and as a JSON string in
 * JSON Feed, escaped again in the Lambda response's JSON (a `"` or `\`
 * grows by 3 bytes, a line break or tab by 2). So its markup costs nothing
 * extra — most of a story's bytes, which `rendered` would count six times.
 */
function renderedBody(value: unknown): number {
  if (typeof value !== 'string') return 0;
  let extra = 0;
  for (const match of value.matchAll(/["\\]|[\n\r\t]|\]\]>/g)) {
    extra += match[0] === ']]>' ? 12 : match[0] === '"' || match[0] === '\\' ? 3 : 2;
  }
  return utf8Length(value) + extra;
}

/**
 * Upper bound of the bytes an article adds to a rendered feed page in any
 * format (and to the Lambda response wrapping it). Stored with each feed
 * entry, so a page can be cut to size before its articles are fetched.
 */
export function entryWeight(article: Article): number {
  // Plain-text fields appear in the item and again in the full text's byline and figures.
  let weight =
    ITEM_OVERHEAD + renderedBody(article.body) + 2 * (rendered(article.headline) + rendered(article.summary));
  weight += rendered(article.url) + rendered(article.language);
  // A topic is a category in RSS (label) and Atom (term and label) and a tag in JSON Feed.
  for (const topic of article.topics) weight += 3 * rendered(topic) + TOPIC_OVERHEAD;
  for (const writer of article.byline) {
    weight +=
      PART_OVERHEAD + 2 * (rendered(writer.name) + rendered(writer.title) + rendered(writer.url)) + 200;
  }
  for (const item of [article.image, ...(article.media ?? [])]) {
    if (item === undefined) continue;
    weight += PART_OVERHEAD + 3 * (rendered(item.caption) + rendered(item.credit) + rendered(item.url));
    if ('thumbnail' in item) weight += 2 * rendered(item.thumbnail?.url);
    if ('poster' in item) weight += 3 * rendered(item.poster);
  }
  return weight;
}
