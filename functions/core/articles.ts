import { type Article, type ArticleView, articleEtag, parseArticle, viewArticle } from './article.ts';
import type { SiteConfig } from './config.ts';
import { membershipsOf } from './editions.ts';
import { ConflictError, NotFoundError, PreconditionFailedError } from './errors.ts';
import type { ArticleStore } from './ports.ts';

/** Conditions a client may put on a write (from If-Match / If-None-Match). */
export interface WritePreconditions {
  /** ETags from If-Match; `*` means "must exist". */
  ifMatch?: string[];
  /** `If-None-Match: *`: create only. */
  ifNoneMatchAny?: boolean;
}

/** Result of a write: the stored article and whether it was created. */
export interface WriteResult {
  article: ArticleView;
  created: boolean;
}

/** Dependencies of the article service. */
export interface ArticleServiceDeps {
  store: ArticleStore;
  config: SiteConfig;
  clock: () => Date;
}

const RETRIES = 3;

function checkPreconditions(current: Article | undefined, conditions: WritePreconditions): void {
  if (conditions.ifNoneMatchAny && current !== undefined) {
    throw new PreconditionFailedError('The article already exists (If-None-Match: *)', articleEtag(current));
  }
  const { ifMatch } = conditions;
  if (ifMatch === undefined) return;
  if (current === undefined) throw new PreconditionFailedError('The article does not exist (If-Match)');
  if (!ifMatch.includes('*') && !ifMatch.includes(articleEtag(current))) {
    throw new PreconditionFailedError(
      `The article has changed: its current ETag is ${articleEtag(current)}`,
      articleEtag(current),
    );
  }
}

function feedsOf(article: Article, config: SiteConfig) {
  return article.withdrawnAt === undefined ? membershipsOf(article, config) : [];
}

/**
 * Runs a read-modify-write. Without preconditions a lost race is retried
 * (last writer wins); with them it is reported as 412.
 */
async function writeVersion(
  deps: ArticleServiceDeps,
  id: string,
  conditions: WritePreconditions,
  next: (current: Article | undefined, now: Date) => Article | undefined,
): Promise<{ article: Article; previous: Article | undefined }> {
  const conditional = conditions.ifMatch !== undefined || conditions.ifNoneMatchAny === true;
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getArticle(id);
    checkPreconditions(current, conditions);
    const now = deps.clock();
    const article = next(current, now);
    if (article === undefined) return { article: current as Article, previous: current };
    try {
      await deps.store.saveArticle({
        article,
        feeds: feedsOf(article, deps.config),
        ...(current !== undefined && {
          previous: { article: current, feeds: feedsOf(current, deps.config) },
        }),
      });
      return { article, previous: current };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (conditional) {
        // Another write won the race: report the version that won, so the client can re-read and retry.
        const winner = await deps.store.getArticle(id);
        const etag = winner === undefined ? undefined : articleEtag(winner);
        throw new PreconditionFailedError(
          `The article changed while it was being written${etag === undefined ? '' : `: its current ETag is ${etag}`}`,
          etag,
          { cause: error },
        );
      }
      if (attempt >= RETRIES) throw error;
    }
  }
}

/** Creates or replaces an article (PUT /api/articles/{id}). */
export async function putArticle(
  deps: ArticleServiceDeps,
  id: string,
  input: unknown,
  conditions: WritePreconditions = {},
): Promise<WriteResult> {
  const content = parseArticle(input, id, deps.config, deps.clock());
  const { article, previous } = await writeVersion(deps, id, conditions, (current, now) => ({
    ...content,
    id,
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  }));
  return { article: viewArticle(article, deps.clock()), created: previous === undefined };
}

/** Reads the current version of an article, withdrawn ones included (GET /api/articles/{id}). */
export async function getArticle(deps: ArticleServiceDeps, id: string): Promise<ArticleView> {
  const article = await deps.store.getArticle(id);
  if (article === undefined) throw new NotFoundError(`No article "${id}"`);
  return viewArticle(article, deps.clock());
}

/**
 * Withdraws an article (DELETE /api/articles/{id}): it leaves every feed at
 * once; the tombstone and earlier revisions stay. Withdrawing twice is a no-op.
 */
export async function withdrawArticle(
  deps: ArticleServiceDeps,
  id: string,
  conditions: WritePreconditions = {},
): Promise<ArticleView> {
  const { article } = await writeVersion(deps, id, conditions, (current, now) => {
    if (current === undefined) throw new NotFoundError(`No article "${id}"`);
    if (current.withdrawnAt !== undefined) return undefined;
    return {
      ...current,
      version: current.version + 1,
      updatedAt: now.toISOString(),
      withdrawnAt: now.toISOString(),
    };
  });
  return viewArticle(article, deps.clock());
}
