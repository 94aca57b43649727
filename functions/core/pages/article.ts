import type { Edition, SiteConfig } from '../config.ts';
import { editionsOf } from '../editions.ts';
import { type FeedEntry, isCorrected } from '../feeds/entry.ts';
import { figureHtml } from '../feeds/full-text.ts';
import { namesFor } from '../feeds/render.ts';
import type { PublicCounts } from '../ports.ts';
import { membershipsOf, scopeEdition, scopeTitle } from '../scopes.ts';
import { cleanLine, escapeHtml, htmlToText } from '../text.ts';
import { articlePageUrl, FEED_FORMATS, FEED_NAMES, feedUrl, headlineLink, pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { renderMissingPage } from './not-found.ts';
import { bylineLinks, formatTime, premiumLabel, readersNote, timeElement, topicLinks } from './parts.ts';
import { articleHeadTags, PAYWALL_CLASS } from './structured-data.ts';

/**
 * `/{edition}/{section}/{id}/`: one story in one edition. Built from parts
 * (heading, lead photo, body, media, topics, subscribe box, the edition's Top
 * Stories and more from the section) so that a variant — a teaser of a
 * premium story — swaps a part rather than copying the page.
 */

/** Where a story is, besides its content: the facts its page links with. */
export interface StoryPlace {
  /** The story's id, section and editions, as stored. */
  id: string;
  section: string;
  editions?: string[];
  byline: { id?: string; name: string }[];
  topics: string[];
}

/** Everything an article page shows. */
export interface ArticlePageContent {
  story: StoryPlace;
  /** The story as pages and feeds show it, in this edition. */
  entry: FeedEntry;
  edition: Edition;
  /** The edition's Top Stories, in the editors' order, without this story. */
  top: FeedEntry[];
  /** The section's latest stories in this edition, without this story. */
  more: FeedEntry[];
  /** The published subscriber counts, when the config shows them. */
  counts?: PublicCounts | undefined;
}

/** Breadcrumb, headline, summary, byline with titles, and when it was published (and updated). */
export function articleHeader(config: SiteConfig, entry: FeedEntry, edition: Edition): string {
  const section = entry.categories[0];
  const crumbs = `<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: edition.id }))}">${h(edition.title)}</a></li>
${section?.scheme === undefined ? '' : `<li><a href="${h(section.scheme)}">${h(section.label)}</a></li>\n`}</ol></nav>`;
  const byline = entry.authors.length === 0 ? '' : `<p class="byline">By ${bylineLinks(entry.authors)}</p>\n`;
  const updated = isCorrected(entry)
    ? ` · <span class="updated">Updated ${timeElement(entry.modified, edition)}</span>`
    : '';
  return `<header class="article-header">
${crumbs}
${premiumLabel(entry)}<h1>${h(entry.title)}</h1>
${entry.summaryText === '' ? '' : `<p class="dek">${h(entry.summaryText)}</p>\n`}${byline}<p class="meta">Published ${timeElement(entry.published, edition)}${updated}</p>
</header>`;
}

/** The lead photo with its caption and credit as visible text. */
export function leadPhoto(entry: FeedEntry): string {
  return entry.image === undefined ? '' : `<div class="lead">${figureHtml(entry.image)}</div>`;
}

/**
 * A body not written under the current rules (never sanitised, or by hand) as
 * plain paragraphs: a page shows it as text, never as markup it cannot trust.
 */
function textParagraphs(html: string): string {
  const text = htmlToText(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<\/(p|div|h[1-6]|li|blockquote|figure|table|tr)\s*>|<br\s*\/?>/gi, '\n\n'),
  );
  return text
    .split(/\n\s*\n/)
    .map(cleanLine)
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}

/**
 * The body: paragraphs, subheadings, links and figures, as sanitised on
 * write, or as text paragraphs when not written under the current rules.
 */
export function articleBody(entry: FeedEntry): string {
  const body = entry.bodyTrusted ? entry.bodyHtml : textParagraphs(entry.bodyHtml);
  return `<div class="article-body">\n${body}\n</div>`;
}

/**
 * Where a premium story's text would be: the teaser's invitation to subscribe
 * (see core/access.ts), in the one section the paywall markup names by class.
 */
export function paywallSection(entry: FeedEntry): string {
  return `<section class="${PAYWALL_CLASS}" aria-labelledby="paywall-heading">
<h2 id="paywall-heading">For subscribers</h2>
${entry.bodyHtml}
</section>`;
}

/** Photos and videos after the body, each with its caption, credit and (videos) duration. */
export function articleMedia(entry: FeedEntry): string {
  if (entry.media.length === 0) return '';
  const videos = entry.media.filter((m) => m.medium === 'video');
  const photos = entry.media.filter((m) => m.medium === 'image');
  const heading =
    videos.length > 0 && photos.length === 0
      ? 'Video'
      : photos.length > 0 && videos.length === 0
        ? 'Photos'
        : 'Photos and video';
  return `<section class="article-media" aria-labelledby="media-heading">
<h2 id="media-heading">${heading}</h2>
${entry.media.map(figureHtml).join('\n')}
</section>`;
}

/** The story's topics, each linking to its page. */
export function articleTopics(entry: FeedEntry): string {
  const topics = topicLinks(entry);
  return topics === '' ? '' : `<div class="article-topics"><h2 class="vh">Topics</h2>${topics}</div>`;
}

/** A subscribe box: every feed this story is in here (its edition, its section there, each writer's and topic's), in every format. */
export function subscribeBox(
  config: SiteConfig,
  story: StoryPlace,
  entry: FeedEntry,
  edition: Edition,
  counts?: PublicCounts,
): string {
  const scopes = membershipsOf(story, config).filter((s) => (scopeEdition(s) ?? edition.id) === edition.id);
  const items = scopes.map((scope) => {
    const title = scopeTitle(config, scope, namesFor(config, scope, [entry])).slice(config.title.length + 3);
    const links = FEED_FORMATS.map(
      (format) =>
        `<a href="${h(feedUrl(config.baseUrl, scope, format))}">${FEED_NAMES[format]}<span class="vh"> feed: ${h(title)}</span></a>`,
    ).join(' · ');
    return `<li><span class="feed-name">${h(title)}</span> ${links}${readersNote(config, scope, counts)}</li>`;
  });
  return `<section class="panel story-feeds" aria-labelledby="story-feeds-heading">
<h2 id="story-feeds-heading">Follow this story’s feeds</h2>
<ul>${items.join('')}</ul>
</section>`;
}

/** A short list of headlines (Top Stories, more from the section). */
function headlineList(config: SiteConfig, entries: FeedEntry[], edition: Edition): string {
  return `<ol class="headlines">${entries
    .map(
      (e) =>
        `<li><a href="${h(headlineLink(config, e.publisherUrl, e.page))}">${h(e.title)}</a> <time datetime="${h(e.published.toISOString())}">${h(formatTime(e.published, edition))}</time></li>`,
    )
    .join('')}</ol>`;
}

/** The edition's Top Stories beside the story, in the editors' order. */
export function topStoriesBox(config: SiteConfig, entries: FeedEntry[], edition: Edition): string {
  if (entries.length === 0) return '';
  return `<section class="panel" aria-labelledby="top-heading">
<h2 id="top-heading">Top Stories</h2>
${headlineList(config, entries, edition)}
<p><a href="${h(pageUrl(config.baseUrl, { kind: 'top', edition: edition.id }))}">All ${h(edition.title)} Top Stories</a></p>
</section>`;
}

/** The section's latest stories in this edition. */
export function moreFromSection(config: SiteConfig, entries: FeedEntry[], edition: Edition): string {
  const section = entries[0]?.categories[0];
  if (entries.length === 0 || section === undefined) return '';
  return `<section class="panel" aria-labelledby="more-heading">
<h2 id="more-heading">More from ${h(section.label)}</h2>
${headlineList(config, entries, edition)}
${section.scheme === undefined ? '' : `<p><a href="${h(section.scheme)}">All ${h(section.label)} stories</a></p>`}
</section>`;
}

/** The story's page in another edition when it is in that edition (the switcher and hreflang use it). */
export function storyInEdition(
  config: SiteConfig,
  story: StoryPlace,
): (edition: Edition) => string | undefined {
  const editions = new Set(editionsOf(story, config));
  return (edition) =>
    editions.has(edition.id)
      ? articlePageUrl(config.baseUrl, edition.id, story.section, story.id)
      : undefined;
}

/** The whole article page. */
export function renderArticlePage(config: SiteConfig, content: ArticlePageContent): string {
  const { story, entry, edition } = content;
  const section = config.sections.find((s) => s.id === story.section);
  const canonical = entry.publisherUrl ?? entry.page;
  const main = `<div class="columns">
<article class="article"${entry.language === edition.language ? '' : ` lang="${h(entry.language)}"`}>
${articleHeader(config, entry, edition)}
${leadPhoto(entry)}
${entry.premium === undefined ? articleBody(entry) : paywallSection(entry)}
${articleMedia(entry)}
${articleTopics(entry)}
</article>
<aside aria-label="More stories and feeds">
${topStoriesBox(config, content.top, edition)}
${moreFromSection(config, content.more, edition)}
${subscribeBox(config, story, entry, edition, content.counts)}
</aside>
</div>`;
  return renderLayout({
    config,
    lang: edition.language,
    title: entry.title,
    description: entry.summaryText === '' ? entry.title : entry.summaryText,
    canonical,
    feeds:
      section === undefined
        ? { kind: 'edition', edition: edition.id }
        : { kind: 'section', edition: edition.id, section: section.id },
    edition: edition.id,
    ...(section !== undefined && { section: section.id }),
    languageAlternates: true,
    inEdition: storyInEdition(config, story),
    head: articleHeadTags(config, entry, edition, canonical, section?.title),
    main,
  });
}

/** The page of a withdrawn story (410): it says so, and offers the edition's front and sections, nothing of the story. */
export function renderWithdrawnPage(config: SiteConfig, edition: Edition): string {
  return renderMissingPage(
    config,
    'This story has been withdrawn',
    `The story that was at this address has been withdrawn by ${config.title} and is no longer available`,
    edition.id,
  );
}
