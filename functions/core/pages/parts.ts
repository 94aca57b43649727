import type { Edition, SiteConfig } from '../config.ts';
import { type EntryAuthor, type FeedEntry, isCorrected } from '../feeds/entry.ts';
import { partnerFeeds } from '../partner-feeds.ts';
import { PARTNERS } from '../partners.ts';
import type { PublicCounts } from '../ports.ts';
import { shownCount } from '../public-counts.ts';
import { type FeedScope, type ScopeNames, scopeEdition, scopeLanguage, scopeTitle } from '../scopes.ts';
import {
  FEED_CONTENT_TYPES,
  FEED_FORMATS,
  FEED_NAMES,
  feedUrl,
  headlineLink,
  opmlUrl,
  pageUrl,
} from '../urls.ts';
import { h, mediaType } from './layout.ts';

/** Pieces shared by the page files: story lists, subscribe panels, section links. */

/** One formatter per language and time zone: building one costs far more than formatting with it. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment as readers of an edition expect it: its locale, in its time zone, zone named. */
export function formatTime(date: Date, edition: Edition): string {
  const key = `${edition.language} ${edition.timeZone}`;
  let format = timeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(edition.language, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: edition.timeZone,
      timeZoneName: 'short',
    });
    timeFormats.set(key, format);
  }
  return format.format(date);
}

/** A `<time>` element of a moment, shown as the edition's readers expect it. */
export function timeElement(date: Date, edition: Edition): string {
  return `<time datetime="${h(date.toISOString())}">${h(formatTime(date, edition))}</time>`;
}

/** A writer in a story card: their page on this site (to follow them), with their title. */
function author(a: EntryAuthor): string {
  const href = a.page ?? a.url;
  const name = href === undefined ? h(a.name) : `<a href="${h(href)}" rel="author">${h(a.name)}</a>`;
  return a.title === undefined ? name : `${name}, ${h(a.title)}`;
}

function byline(authors: EntryAuthor[]): string {
  return authors.length === 0 ? '' : `By ${authors.map(author).join('; ')}`;
}

/**
 * Every writer of a story, each linked to their page here, with their title:
 * "Ana Ortiz, Senior China Analyst, and Lee Min" (semicolons between three or
 * more when titles hold commas), as a story's byline reads.
 */
export function bylineLinks(authors: readonly EntryAuthor[]): string {
  const credits = authors.map(author);
  if (credits.length <= 2) return credits.join(authors[0]?.title === undefined ? ' and ' : ', and ');
  const titled = authors.some((a) => a.title !== undefined);
  return `${credits.slice(0, -1).join(titled ? '; ' : ', ')}${titled ? ';' : ''} and ${credits.at(-1)}`;
}

/** The topics of a story, each linking to its page (where it can be followed). */
export function topicLinks(entry: FeedEntry): string {
  const topics = entry.categories.slice(1).filter((c) => c.scheme !== undefined);
  if (topics.length === 0) return '';
  return `<ul class="topics" aria-label="Topics">${topics.map((t) => `<li><a href="${h(t.scheme!)}" rel="tag">${h(t.label)}</a></li>`).join('')}</ul>`;
}

/** The visible "Premium" label of a subscribers' story, on its card and its page; nothing for a free one. */
export function premiumLabel(entry: Pick<FeedEntry, 'premium'>): string {
  return entry.premium === undefined ? '' : `<p class="premium-label">${h(entry.premium.label)}</p>\n`;
}

/** A story's thumbnail: the small rendition when there is one, the full photo for wide screens. */
function thumbnail(entry: FeedEntry): string {
  const image = entry.image;
  if (image === undefined) return '';
  const small = image.thumbnail;
  const size =
    small?.width !== undefined && small.height !== undefined
      ? ` width="${small.width}" height="${small.height}"`
      : image.width !== undefined && image.height !== undefined
        ? ` width="${image.width}" height="${image.height}"`
        : '';
  const srcset =
    small?.width !== undefined && image.width !== undefined
      ? ` srcset="${h(small.url)} ${small.width}w, ${h(image.url)} ${image.width}w" sizes="(max-width: 30rem) 6rem, 9rem"`
      : '';
  return `<figure class="thumb"><img src="${h(small?.url ?? image.url)}"${srcset} alt="${h(image.caption ?? '')}"${size} loading="lazy" decoding="async"></figure>`;
}

function story(config: SiteConfig, entry: FeedEntry, edition: Edition): string {
  const section = entry.categories[0];
  const sectionLink =
    section?.scheme === undefined ? '' : `<a href="${h(section.scheme)}">${h(section.label)}</a>`;
  const time = isCorrected(entry)
    ? `${timeElement(entry.published, edition)} (updated ${timeElement(entry.modified, edition)})`
    : timeElement(entry.published, edition);
  const meta = [byline(entry.authors), time, sectionLink].filter((part) => part !== '').join(' · ');
  const summary = entry.summaryText;
  const lang = entry.language === edition.language ? '' : ` lang="${h(entry.language)}"`;
  const topics = topicLinks(entry);
  return `<li class="story"${lang}>
<div>
${premiumLabel(entry)}<h3><a href="${h(headlineLink(config, entry.publisherUrl, entry.page))}">${h(entry.title)}</a></h3>
${summary === '' ? '' : `<p class="summary">${h(summary)}</p>\n`}<p class="meta">${meta}</p>
${topics === '' ? '' : `${topics}\n`}</div>
${thumbnail(entry)}
</li>`;
}

/** The latest headlines, newest first, with times in the edition's zone. */
export function storyList(config: SiteConfig, entries: FeedEntry[], edition: Edition): string {
  if (entries.length === 0) return '<p class="empty">No stories yet. Subscribe, and they will reach you.</p>';
  return `<ol class="stories">\n${entries.map((e) => story(config, e, edition)).join('\n')}\n</ol>`;
}

/** Links to every format of one feed, each named in full for screen readers. */
export function feedLinks(config: SiteConfig, scope: FeedScope, names?: ScopeNames): string {
  const title = scopeTitle(config, scope, names);
  const links = FEED_FORMATS.map(
    (format) =>
      `<li><a href="${h(feedUrl(config.baseUrl, scope, format))}" type="${mediaType(FEED_CONTENT_TYPES[format])}">${FEED_NAMES[format]}<span class="vh"> feed: ${h(title)}</span></a></li>`,
  );
  return `<ul class="feeds">${links.join('')}</ul>`;
}

/**
 * A feed's readers as pages show them, `≈ 1,200 readers` (read out as
 * "about 1,200 readers"), or nothing when the published counts hold none
 * for it (counts off, too few readers, or none published lately).
 */
export function readersNote(config: SiteConfig, scope: FeedScope, counts: PublicCounts | undefined): string {
  const n = shownCount(counts, scope);
  if (n === undefined) return '';
  const figure = n.toLocaleString(scopeLanguage(config, scope));
  return ` <span class="readers"><span aria-hidden="true">≈</span><span class="vh">about</span> ${h(figure)} readers</span>`;
}

/** A read-only field holding a feed URL, with a Copy button that scripts reveal. */
export function copyField(id: string, label: string, url: string): string {
  return `<div class="copy">
<label for="${h(id)}">${h(label)}</label>
<div><input id="${h(id)}" type="text" readonly spellcheck="false" value="${h(url)}"><button type="button" data-copy="${h(id)}" hidden>Copy</button></div>
<p class="vh" id="${h(id)}-status" role="status"></p>
</div>`;
}

/** A front's subscribe links in one line under its heading: short, so the stories start on a phone's first screen. */
export function subscribeLine(config: SiteConfig, scope: FeedScope, counts?: PublicCounts): string {
  return `<div class="subscribe-line"><span>Subscribe:</span>${feedLinks(config, scope)}${readersNote(config, scope, counts)}</div>`;
}

/**
 * The subscribe panel of a feed: format links and readers (unless a subscribe
 * line above already offers them), the copyable RSS URL, the edition's (or site's) OPML.
 */
export function subscribePanel(
  config: SiteConfig,
  scope: FeedScope,
  heading: string,
  names?: ScopeNames,
  links = true,
  counts?: PublicCounts,
): string {
  const editionId = scopeEdition(scope);
  const edition = config.editions.find((e) => e.id === editionId);
  const opml =
    edition === undefined
      ? `<a href="${h(opmlUrl(config.baseUrl))}" type="text/x-opml">One ${h(config.title)} feed per edition as OPML</a>`
      : `<a href="${h(opmlUrl(config.baseUrl, edition.id))}" type="text/x-opml">Every ${h(edition.title)} feed as OPML</a>`;
  return `<section class="panel subscribe" aria-labelledby="subscribe-heading">
<div>
<h2 id="subscribe-heading">${h(heading)}</h2>
<p>Follow in any feed reader: pick a format, or paste the address into your reader.</p>
${links ? `${feedLinks(config, scope, names)}${readersNote(config, scope, counts)}` : ''}
</div>
<div>
${copyField('feed-url', 'RSS feed address', feedUrl(config.baseUrl, scope, 'rss'))}
<p>${opml}, to import into your reader at once.</p>
${partnerLinks(config, scope)}</div>
</section>`;
}

/** The feeds of this page made for news apps the site syndicates to (none when it syndicates to none). */
function partnerLinks(config: SiteConfig, scope: FeedScope): string {
  const partners = partnerFeeds(config, scope);
  if (partners.length === 0) return '';
  const links = partners.map(
    (id) =>
      `<li><a href="${h(feedUrl(config.baseUrl, scope, id))}" type="application/rss+xml">${h(PARTNERS[id].name)}</a></li>`,
  );
  return `<p>For news apps:</p>\n<ul class="feeds">${links.join('')}</ul>\n`;
}

/** Every section of an edition: its page and its RSS feed. */
export function sectionFeeds(
  config: SiteConfig,
  edition: Edition,
  current?: string,
  counts?: PublicCounts,
): string {
  const items = config.sections.map((s) => {
    const scope: FeedScope = { kind: 'section', edition: edition.id, section: s.id };
    const here = s.id === current ? ' aria-current="page"' : '';
    return `<li><a href="${h(pageUrl(config.baseUrl, scope))}"${here}>${h(s.title)}</a> · <a href="${h(feedUrl(config.baseUrl, scope, 'rss'))}" type="application/rss+xml">RSS<span class="vh"> feed: ${h(scopeTitle(config, scope))}</span></a>${readersNote(config, scope, counts)}</li>`;
  });
  return `<ul class="section-feeds">${items.join('')}</ul>`;
}

/** The row of section links under an edition or section heading. */
export function sectionNav(config: SiteConfig, edition: Edition, current?: string): string {
  const items = config.sections.map((s) => {
    const here = s.id === current ? ' aria-current="page"' : '';
    return `<li><a href="${h(pageUrl(config.baseUrl, { kind: 'section', edition: edition.id, section: s.id }))}"${here}>${h(s.title)}</a></li>`;
  });
  return `<nav aria-label="Sections of ${h(edition.title)}"><ul class="pills">${items.join('')}</ul></nav>`;
}

/** The two columns of an edition or section page: the latest stories, and a panel of section feeds. */
export function storiesWithSectionFeeds(
  config: SiteConfig,
  edition: Edition,
  entries: FeedEntry[],
  headings: { latest: string; sections: string; intro?: string },
  currentSection?: string,
  top?: { entries: FeedEntry[]; feed: FeedScope },
  subscribe?: { scope: FeedScope; heading: string },
  counts?: PublicCounts,
): string {
  const intro = headings.intro === undefined ? '' : `\n<p>${h(headings.intro)}</p>`;
  const topStories =
    top === undefined || top.entries.length === 0
      ? ''
      : `<section aria-labelledby="top-heading">
<h2 id="top-heading">Top Stories</h2>
<div class="feed-note"><p>Chosen by our editors, in their order.</p>${feedLinks(config, top.feed)}${readersNote(config, top.feed, counts)}</div>
${storyList(config, top.entries, edition)}
</section>
`;
  return `<div class="columns">
<div>
${topStories}<section aria-labelledby="latest-heading">
<h2 id="latest-heading">${h(headings.latest)}</h2>
${storyList(config, entries, edition)}
</section>
</div>
<aside aria-label="Subscribe">
${subscribe === undefined ? '' : subscribePanel(config, subscribe.scope, subscribe.heading, undefined, false)}
<section class="panel">
<h2 id="sections-heading">${h(headings.sections)}</h2>${intro}
${sectionFeeds(config, edition, currentSection, counts)}
</section>
</aside>
</div>`;
}
