import type { PartnerSpec } from '../partners.ts';
import type { FeedChannel } from './channel.ts';
import { type FeedEntry, feedCategories, isCorrected } from './entry.ts';
import { fullTextHtml } from './full-text.ts';
import { allowedHtml } from './html-tags.ts';
import { joinNames, mediaXml, webfeedsXml } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { cdata, escapeText, escapeXml, xmlns } from './xml.ts';

const { atom, content, dc, dcterms, media, snf, webfeeds } = NAMESPACES;

/** Indentation of the channel's children and of an item's children. */
const CHANNEL = '\n        ';
const ITEM = '\n            ';

function rssItem(entry: FeedEntry, partner: PartnerSpec | undefined): string {
  // A partner that reads pubDate for corrections (Google News) gets the latest change there.
  const date = partner?.pubDateIsModified ? entry.modified : entry.published;
  let xml = `${CHANNEL}<item>${ITEM}<title>${escapeText(entry.title)}</title>${ITEM}<link>${escapeText(entry.link)}</link>${ITEM}<guid isPermaLink="false">${escapeText(entry.guid)}</guid>${ITEM}<pubDate>${date.toUTCString()}</pubDate>`;
  if (entry.summaryHtml !== '') xml += `${ITEM}<description>${cdata(entry.summaryHtml)}</description>`;
  const fullText = fullTextHtml(entry);
  if (fullText !== '') {
    const html = partner?.htmlTags === undefined ? fullText : allowedHtml(fullText, partner.htmlTags);
    xml += `${ITEM}<content:encoded>${cdata(html)}</content:encoded>`;
  }
  for (const c of feedCategories(entry)) {
    const domain = c.scheme === undefined ? '' : ` domain="${escapeXml(c.scheme)}"`;
    xml += `${ITEM}<category${domain}>${escapeText(c.label)}</category>`;
  }
  // The lead photo as the enclosure readers and apps (Flipboard) take, whenever its type is known.
  // RSS 2.0 requires a length; when the CMS sent none, 0, as the RSS Best Practices Profile says.
  const image = entry.image;
  const type = image === undefined ? undefined : image.typeKnown ? image.type : imageTypeOfUrl(image.url);
  if (image !== undefined && type !== undefined) {
    xml += `${ITEM}<enclosure length="${image.length ?? 0}" type="${escapeXml(type)}" url="${escapeXml(image.url)}"/>`;
  }
  if (entry.authors.length > 0) {
    // One dc:creator naming every writer: readers keep only one (newsboat the last, rss-parser the first).
    xml += `${ITEM}<dc:creator>${escapeText(joinNames(entry.authors.map((a) => a.name)))}</dc:creator>`;
  }
  if (isCorrected(entry)) {
    xml += `${ITEM}<dcterms:modified>${entry.modified.toISOString()}</dcterms:modified>`;
  }
  return `${xml}${mediaXml(entry, '            ')}${CHANNEL}</item>`;
}

/** The image type a URL's file name tells (`….jpg` → image/jpeg), if it tells one. */
function imageTypeOfUrl(url: string): string | undefined {
  const extension = /\.(jpe?g|png|gif|webp|avif)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : `image/${extension === 'jpg' ? 'jpeg' : extension}`;
}

/** A channel description within a partner's limit: cut at a word, with an ellipsis. */
function shortened(text: string, limit: number | undefined): string {
  if (limit === undefined || [...text].length <= limit) return text;
  const words = text.split(' ');
  let short = '';
  for (const word of words) {
    const next = short === '' ? word : `${short} ${word}`;
    if ([...next].length > limit - 1) break;
    short = next;
  }
  return `${short === '' ? [...text].slice(0, limit - 1).join('') : short}…`;
}

/** The channel `<image>`: the brand's channel image with its size, a partner's square logo, or the plain logo. */
function channelImage(
  channel: FeedChannel,
  partner: PartnerSpec | undefined,
  title: string,
  home: string,
): string {
  const brand = channel.brand;
  let image = '';
  if (partner?.squareLogo !== undefined && brand !== undefined) {
    // SmartNews asks for a 512 × 512 logo here; RSS 2.0 caps width at 144, so its size is left out.
    image = `${CHANNEL}    <url>${escapeText(brand.icon.url)}</url>`;
  } else if (brand !== undefined) {
    const { url, width, height } = brand.channelImage;
    image = `${CHANNEL}    <url>${escapeText(url)}</url>${CHANNEL}    <link>${home}</link>${CHANNEL}    <width>${width}</width>${CHANNEL}    <height>${height}</height>`;
    return `${CHANNEL}<image>${CHANNEL}    <title>${title}</title>${image}${CHANNEL}</image>`;
  } else if (channel.logoUrl !== undefined) {
    image = `${CHANNEL}    <url>${escapeText(channel.logoUrl)}</url>`;
  } else {
    return '';
  }
  return `${CHANNEL}<image>${CHANNEL}    <title>${title}</title>${image}${CHANNEL}    <link>${home}</link>${CHANNEL}</image>`;
}

/**
 * Renders one page of a feed as RSS 2.0 with Dublin Core, Media RSS, Feedly's
 * webfeeds and RFC 5005 paging links — or, given a partner's spec, the feed
 * shaped to that partner (dates, elements, HTML, logo). Written directly, each
 * value escaped once for where it lands (well-formedness for any content is
 * proven by test/unit/feeds-property.test.ts).
 */
export function renderRss(
  channel: FeedChannel,
  entries: readonly FeedEntry[],
  partner?: PartnerSpec,
): string {
  const namespaces: Record<string, string> = { atom, content, dc, dcterms, media };
  // Feedly's elements go to readers' feeds; a partner's feed carries only what that partner reads.
  const feedly = channel.brand !== undefined && partner === undefined;
  if (feedly) namespaces.webfeeds = webfeeds;
  if (partner?.squareLogo !== undefined) namespaces.snf = snf;
  const title = escapeText(channel.title);
  const home = escapeText(channel.homeUrl);
  const description = escapeText(shortened(channel.description, partner?.maxDescription));
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"${xmlns(namespaces)}>\n    <channel>${CHANNEL}<title>${title}</title>${CHANNEL}<link>${home}</link>${CHANNEL}<description>${description}</description>${CHANNEL}<pubDate>${channel.published.toUTCString()}</pubDate>${CHANNEL}<lastBuildDate>${channel.updated.toUTCString()}</lastBuildDate>${CHANNEL}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>${CHANNEL}<generator>Newswire</generator>${CHANNEL}<language>${escapeText(channel.language)}</language>`;
  xml += channelImage(channel, partner, title, home);
  xml += `${CHANNEL}<copyright>${escapeText(channel.copyright)}</copyright>${CHANNEL}<atom:link href="${escapeXml(channel.selfUrl)}" rel="self" type="application/rss+xml"/>`;
  if (channel.hubUrl !== undefined)
    xml += `${CHANNEL}<atom:link href="${escapeXml(channel.hubUrl)}" rel="hub"/>`;
  // Channel elements before the first item: the W3C validator warns of any after ("Misplaced Item").
  if (channel.nextUrl !== undefined) {
    xml += `${CHANNEL}<atom:link href="${escapeXml(channel.nextUrl)}" rel="next" type="application/rss+xml"/>`;
  }
  if (feedly && channel.brand !== undefined) xml += webfeedsXml(channel.brand, CHANNEL);
  if (partner?.squareLogo !== undefined && channel.brand !== undefined) {
    xml += `${CHANNEL}<snf:logo>${CHANNEL}    <url>${escapeText(channel.brand.icon.url)}</url>${CHANNEL}</snf:logo>`;
  }
  for (const entry of entries) xml += rssItem(entry, partner);
  return `${xml}\n    </channel>\n</rss>`;
}
