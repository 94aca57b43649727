import { escapeHtml } from '../text.ts';
import type { EntryAuthor, EntryMedia, FeedEntry } from './entry.ts';

/** `m:ss` or `h:mm:ss`. */
function clock(seconds: number): string {
  const s = String(seconds % 60).padStart(2, '0');
  const m = Math.floor(seconds / 60) % 60;
  const h = Math.floor(seconds / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function sizeAttributes(item: { width?: number; height?: number }): string {
  return item.width !== undefined && item.height !== undefined
    ? ` width="${item.width}" height="${item.height}"`
    : '';
}

/** "By Ana Ortiz, Senior China Analyst, and Lee Min" — the byline readers expect at the top of a story. */
export function bylineHtml(authors: readonly EntryAuthor[]): string {
  if (authors.length === 0) return '';
  const credits = authors.map((a) => {
    const href = a.url ?? a.page;
    const name =
      href === undefined ? escapeHtml(a.name) : `<a href="${escapeHtml(href)}">${escapeHtml(a.name)}</a>`;
    return a.title === undefined ? name : `${name}, ${escapeHtml(a.title)}`;
  });
  let list: string;
  if (credits.length <= 2) {
    // "A, Title, and B": the comma closes the first writer's title.
    list = credits.join(authors[0]?.title === undefined ? ' and ' : ', and ');
  } else {
    // Titles hold commas, so with titles writers are set apart by semicolons.
    const titled = authors.some((a) => a.title !== undefined);
    list = `${credits.slice(0, -1).join(titled ? '; ' : ', ')}${titled ? ';' : ''} and ${credits.at(-1)}`;
  }
  return `<p class="byline">By ${list}</p>`;
}

/** What the link to a video's file says, as text or as its poster's alt text. */
const WATCH = 'Watch the video';

/** A credit that already says what it credits ("Photo: Reuters", "Photograph by …", "Video: AP"). */
const LABELLED_CREDIT = /^\s*(photo(graph)?s?|pictures?|images?|video|footage)\b\s*(:|by\b)/i;

/** "Photo: Lee Min / Newswire": the credit with its label, unless it has one already. */
export function creditText(media: Pick<EntryMedia, 'credit' | 'medium'>): string | undefined {
  if (media.credit === undefined) return undefined;
  if (LABELLED_CREDIT.test(media.credit)) return media.credit;
  return `${media.medium === 'video' ? 'Video' : 'Photo'}: ${media.credit}`;
}

/**
 * A photo or video as a figure with its caption and credit, for the full
 * text and a story's page. A photo's alt text is empty: the caption beside
 * it is what describes it, and text readers, which print alt text too, would
 * print it twice. A video's poster, where a reader cannot play the video, is
 * the link to the file: its alt text says what the link does, so the link
 * has a name (WCAG's "link-name"), the same words as the link without a poster.
 */
export function figureHtml(media: EntryMedia): string {
  const alt = '';
  const label = creditText(media);
  const credit = label === undefined ? '' : ` <small class="credit">${escapeHtml(label)}</small>`;
  const length =
    media.duration === undefined ? '' : ` <small class="duration">(${clock(media.duration)})</small>`;
  const caption = media.caption === undefined ? '' : escapeHtml(media.caption);
  const figcaption =
    caption === '' && credit === '' && length === ''
      ? ''
      : `<figcaption>${caption}${length}${credit}</figcaption>`;
  const url = escapeHtml(media.url);
  if (media.medium === 'video') {
    const poster = media.thumbnail === undefined ? '' : ` poster="${escapeHtml(media.thumbnail.url)}"`;
    const fallback =
      media.thumbnail === undefined
        ? `<a href="${url}">${WATCH}</a>`
        : `<a href="${url}"><img src="${escapeHtml(media.thumbnail.url)}" alt="${WATCH}"${sizeAttributes(media)}></a>`;
    return `<figure class="video"><video controls preload="none"${poster}${sizeAttributes(media)}><source src="${url}" type="${escapeHtml(media.type)}">${fallback}</video>${figcaption}</figure>`;
  }
  return `<figure><img src="${url}" alt="${alt}"${sizeAttributes(media)}>${figcaption}</figure>`;
}

/**
 * The full text readers display: the byline, the lead photo with its caption
 * and credit, the body, then the photos and videos — each part on a line of
 * its own; '' when there is none of them.
 */
export function fullTextHtml(entry: Pick<FeedEntry, 'authors' | 'image' | 'bodyHtml' | 'media'>): string {
  const parts = [bylineHtml(entry.authors)];
  if (entry.image !== undefined) parts.push(figureHtml(entry.image));
  parts.push(entry.bodyHtml);
  for (const item of entry.media) parts.push(figureHtml(item));
  return parts.filter((part) => part !== '').join('\n');
}
