import { type Article, changedAtOf, laterTime } from '../../functions/core/article.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { entryWeight } from '../../functions/core/feeds/weight.ts';
import type {
  ArticleState,
  ArticleStore,
  EntryScope,
  FeedRef,
  FeedWindow,
  TopStories,
} from '../../functions/core/ports.ts';
import { membershipsOf, scopePath } from '../../functions/core/scopes.ts';

/** One read a unit test may want to check (which feed, how many, at what time). */
export interface ReadCall {
  scope: EntryScope;
  limit: number;
  now: string;
}

/** The entry a stored article has in each of its feeds. */
function refOf(a: Article): FeedRef {
  return {
    id: a.id,
    publishedAt: a.publishedAt,
    version: a.version,
    changedAt: changedAtOf(a),
    weight: entryWeight(a),
  };
}

/** What `getArticleStates` tells of a stored article. */
export function articleState(a: Article): ArticleState {
  return {
    id: a.id,
    version: a.version,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    withdrawn: a.withdrawnAt !== undefined,
  };
}

/**
 * The store port for unit tests of pages and feeds: articles held in memory,
 * feeds derived from their memberships, Top Stories settable. Writes and keys
 * are not part of what those tests exercise and reject.
 */
export function memoryStore(
  config: SiteConfig,
  articles: Article[],
  top: Record<string, string[]> = {},
): ArticleStore & { reads: ReadCall[] } {
  const reads: ReadCall[] = [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const unused = () => Promise.reject(new Error('not used by these tests'));
  return {
    reads,
    async listFeed(scope, { now, limit, after }): Promise<FeedWindow> {
      reads.push({ scope, limit, now: now.toISOString() });
      const path = scopePath(scope);
      const position = (a: Article) => `${a.publishedAt}#${a.id}`;
      const bound = after === undefined ? undefined : `${after.publishedAt}#${after.id}`;
      const published = articles.filter(
        (a) =>
          a.withdrawnAt === undefined &&
          a.publishedAt <= now.toISOString() &&
          membershipsOf(a, config).some((m) => scopePath(m) === path),
      );
      const entries = published
        .filter((a) => bound === undefined || position(a) < bound)
        .sort((a, b) => position(b).localeCompare(position(a)))
        .slice(0, limit)
        .map(refOf);
      return {
        entries,
        changedAt: entries.reduce((newest, e) => laterTime(newest, e.changedAt), ''),
        truncated: false,
        ...(bound !== undefined && { afterKnown: published.some((a) => position(a) === bound) }),
      };
    },
    async listFeedPeriod(scope, { from, upTo, limit, newestFirst }): Promise<FeedRef[]> {
      const path = scopePath(scope);
      const position = (a: Article) => `${a.publishedAt}#${a.id}`;
      const inPeriod = articles
        .filter(
          (a) =>
            a.withdrawnAt === undefined &&
            a.publishedAt >= from.toISOString() &&
            a.publishedAt <= upTo.toISOString() &&
            membershipsOf(a, config).some((m) => scopePath(m) === path),
        )
        .sort((a, b) => position(a).localeCompare(position(b)));
      return (newestFirst ? inPeriod.reverse() : inPeriod).slice(0, limit).map(refOf);
    },
    async getArticles(ids) {
      return new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : [])));
    },
    async getArticleStates(ids) {
      return new Map(
        ids.flatMap((id) => {
          const a = byId.get(id);
          return a === undefined ? [] : [[id, articleState(a)] as const];
        }),
      );
    },
    async getTopStories(edition): Promise<TopStories | undefined> {
      const list = top[edition];
      return list === undefined
        ? undefined
        : { edition, articles: list, version: 1, updatedAt: '2026-11-27T00:00:00.000Z' };
    },
    getArticle: unused,
    listRevisions: unused,
    getRevision: unused,
    saveArticle: unused,
    saveTopStories: unused,
    reindexStep: unused,
    getApiKey: unused,
    putApiKey: unused,
    listApiKeys: unused,
    revokeApiKey: unused,
  };
}
