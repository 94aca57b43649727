import { type Article, accessOf } from './article.ts';
import type { SiteConfig } from './config.ts';
import type { ArticleReader, ReadDeps } from './ports.ts';
import { escapeHtml } from './text.ts';

/**
 * What the public may see of a story. A premium story is shown to everyone
 * as a teaser — headline, byline, summary, lead photo with its caption and
 * credit, topics, and its access level, which every renderer marks — and
 * never its body, gallery or videos; subscribers' private feeds alone render
 * the stored article. Every public surface reads articles through
 * publicDeps, so no renderer has to remember to leave anything out.
 */

/** Where a premium story's text would be, in the teaser: an invitation to subscribe, never the text itself. */
export function teaserBody(config: Pick<SiteConfig, 'subscribeUrl' | 'title'>): string {
  const invitation =
    config.subscribeUrl === undefined
      ? `Subscribe to ${escapeHtml(config.title)} to read it in full.`
      : `<a href="${escapeHtml(config.subscribeUrl)}">Subscribe to ${escapeHtml(config.title)}</a> to read it in full.`;
  return `<p class="premium-note"><strong>Premium story.</strong> ${invitation}</p>`;
}

/**
 * The fields of a premium story that its teaser keeps, besides its access level and a body
 * that only invites to subscribe. Named rather than spread away: a field added to articles
 * later is not public until it is listed here.
 */
const TEASER_FIELDS = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'headline',
  'summary',
  'url',
  'section',
  'editions',
  'topics',
  'byline',
  'image',
  'publishedAt',
  'language',
  'withdrawnAt',
  'rules',
  'publicChangeAt',
] as const satisfies readonly (keyof Article)[];

/** The article as the public may see it: itself when free, its teaser when premium. */
export function publicArticle(article: Article, config: Pick<SiteConfig, 'subscribeUrl' | 'title'>): Article {
  if (accessOf(article) !== 'premium') return article;
  const teaser: Pick<Article, (typeof TEASER_FIELDS)[number]> = Object.fromEntries(
    TEASER_FIELDS.filter((field) => article[field] !== undefined).map((field) => [field, article[field]]),
  ) as unknown as Pick<Article, (typeof TEASER_FIELDS)[number]>;
  return { ...teaser, body: teaserBody(config), access: 'premium' };
}

/** A reader whose articles are what the public may see of them (publicArticle). */
function publicReader(store: ArticleReader, config: SiteConfig): ArticleReader {
  return {
    getArticle: async (id) => {
      const article = await store.getArticle(id);
      return article === undefined ? undefined : publicArticle(article, config);
    },
    getArticles: async (ids) => {
      const articles = await store.getArticles(ids);
      for (const [id, article] of articles) articles.set(id, publicArticle(article, config));
      return articles;
    },
    getArticleStates: (ids) => store.getArticleStates(ids),
    listFeed: (scope, options) => store.listFeed(scope, options),
    listFeedPeriod: (scope, period) => store.listFeedPeriod(scope, period),
    getTopStories: (edition) => store.getTopStories(edition),
  };
}

/** The read dependencies of every public surface (feeds, pages, sitemaps): premium stories as teasers. */
export function publicDeps<D extends ReadDeps>(deps: D): D {
  return { ...deps, store: publicReader(deps.store, deps.config) };
}
