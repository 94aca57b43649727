import {
  type Article,
  type ArticleView,
  articleEtag,
  CONTENT_RULES,
  changedAtOf,
  type InternalField,
  isPublic,
  viewArticle,
  withoutInternal,
} from './article.ts';
import { parseArticle } from './article-input.ts';
import type { SiteConfig } from './config.ts';
import { ConflictError, type FieldProblem, NotFoundError, PreconditionFailedError } from './errors.ts';
import { entryWeight } from './feeds/weight.ts';
import { checkIfMatch } from './if-match.ts';
import { describeMinimum, meetsImageMinimum, PARTNER_RULES, PARTNERS } from './partners.ts';
import type { ArticleStore, ArticleWrite, EntryFacts, EntryScope, RevisionSummary } from './ports.ts';
import { membershipsOf } from './scopes.ts';

/** Conditions a client may put on a write (from If-Match / If-None-Match). */
export interface WritePreconditions {
  /** ETags from If-Match as sent (`W/` kept); `*` means "must exist". */
  ifMatch?: string[];
  /** `If-None-Match: *`: create only. */
  ifNoneMatchAny?: boolean;
}

/** Result of a write: the stored article, whether it was created, and what the server changed or noticed. */
export interface WriteResult {
  article: ArticleView;
  created: boolean;
  /** Plain-text fields that lost markup or had references decoded. */
  warnings: FieldProblem[];
  /** The PUT published an article that had been withdrawn. */
  republished: boolean;
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
  checkIfMatch(ifMatch, articleEtag(current), 'The article has changed');
}

/** The feeds an article version appears in, and what its entries carry. */
export function entriesOf(article: Article, config: SiteConfig): { feeds: EntryScope[]; entry: EntryFacts } {
  return {
    feeds: feedsOf(article, config),
    entry: { changedAt: changedAtOf(article), weight: entryWeight(article) },
  };
}

/** The feeds an article version has entries in: its memberships, none once withdrawn. */
function feedsOf(article: Article, config: SiteConfig): EntryScope[] {
  return article.withdrawnAt === undefined ? membershipsOf(article, config) : [];
}

function writeOf(article: Article, current: Article | undefined, config: SiteConfig): ArticleWrite {
  const { feeds, entry } = entriesOf(article, config);
  if (current === undefined) return { article, feeds, entry };
  // Readers saw the previous version's entries only if it was public when this write replaced it.
  const seen = isPublic(current, article.updatedAt);
  return {
    article,
    feeds,
    entry,
    previous: {
      article: current,
      feeds: feedsOf(current, config),
      ...(seen && { tombstoneAt: article.updatedAt }),
    },
  };
}

/**
 * Stamps the time readers' view of the article changed: now, when either the
 * version replaced or the new one is public; else (a story still scheduled,
 * or a withdrawn one) the time it had.
 */
function withPublicChange(article: Article, current: Article | undefined, now: string): Article {
  const { publicChangeAt: _previous, ...rest } = article;
  const changed =
    (current !== undefined && isPublic(current, now)) || isPublic(article, now)
      ? now
      : current?.publicChangeAt;
  return changed === undefined ? rest : { ...rest, publicChangeAt: changed };
}

/**
 * Runs a read-modify-write. Without preconditions a lost race is retried
 * (last writer wins); with them it is a 412 that names the current ETag.
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
    const built = next(current, now);
    if (built === undefined) return { article: current as Article, previous: current };
    const article = withPublicChange(built, current, now.toISOString());
    try {
      await deps.store.saveArticle(writeOf(article, current, deps.config));
      return { article, previous: current };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (conditional) {
        // Another writer won: the client's precondition no longer holds. Say what is current now.
        const winner = await deps.store.getArticle(id);
        throw new PreconditionFailedError(
          winner === undefined
            ? 'The article changed while it was being written'
            : `The article changed while it was being written: its current ETag is ${articleEtag(winner)}`,
          winner === undefined ? undefined : articleEtag(winner),
          { cause: error },
        );
      }
      if (attempt >= RETRIES) throw error;
    }
  }
}

/**
 * Creates or replaces an article (PUT /api/articles/{id}). A missing
 * `publishedAt` means now for a new article and "unchanged" for an existing
 * one, and so does a missing `access` (free for a new one); a PUT to a withdrawn article publishes it again.
 */
export async function putArticle(
  deps: ArticleServiceDeps,
  id: string,
  input: unknown,
  conditions: WritePreconditions = {},
): Promise<WriteResult> {
  const { content, warnings } = parseArticle(input, id, deps.config, deps.clock());
  const { article, previous } = await writeVersion(deps, id, conditions, (current, now) => ({
    ...content,
    publishedAt: content.publishedAt ?? current?.publishedAt ?? now.toISOString(),
    // Like publishedAt: left out, an existing story keeps its access level (imports and re-sends do).
    access: content.access ?? current?.access ?? 'free',
    id,
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    rules: CONTENT_RULES,
  }));
  return {
    article: viewArticle(article, deps.clock()),
    created: previous === undefined,
    warnings: [...warnings, ...partnerImageWarnings(content.image, deps.config)],
    republished: previous?.withdrawnAt !== undefined,
  };
}

/**
 * A warning for each enabled partner whose image rule the story misses — no
 * photo, or one below the partner's minimum (or of unknown size) — naming the
 * minimum. The story is stored and published all the same.
 */
export function partnerImageWarnings(
  image: { width?: number | undefined; height?: number | undefined } | undefined,
  config: SiteConfig,
): FieldProblem[] {
  const warnings: FieldProblem[] = [];
  for (const id of config.partners) {
    const { name } = PARTNERS[id];
    const minimum = PARTNER_RULES[id].image;
    if (minimum === undefined) continue;
    if (image === undefined) {
      warnings.push({
        field: 'image',
        message: `${name} asks for a photo ${describeMinimum(minimum)}; this story has none`,
      });
    } else if (!meetsImageMinimum(minimum, image)) {
      const size =
        image.width === undefined || image.height === undefined
          ? 'its size is not given (send image.width and image.height)'
          : `it is ${image.width}×${image.height}`;
      warnings.push({
        field: 'image',
        message: `${name} asks for a photo ${describeMinimum(minimum)}; ${size}`,
      });
    }
  }
  return warnings;
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

/** Revisions shown per page of GET /api/articles/{id}/revisions. */
export const REVISIONS_PAGE = 20;

/** A page of an article's earlier versions, newest first, with the version to continue before. */
export interface RevisionPage {
  id: string;
  current: number;
  revisions: RevisionSummary[];
  /** Pass as `before` for the next (older) page. */
  next?: number;
}

/** Lists an article's earlier versions, newest first (GET /api/articles/{id}/revisions). */
export async function listRevisions(
  deps: ArticleServiceDeps,
  id: string,
  before?: number,
): Promise<RevisionPage> {
  const current = await deps.store.getArticle(id);
  if (current === undefined) throw new NotFoundError(`No article "${id}"`);
  const { revisions, more } = await deps.store.listRevisions(id, {
    limit: REVISIONS_PAGE,
    ...(before !== undefined && { before }),
  });
  const last = revisions.at(-1);
  return {
    id,
    current: current.version,
    revisions,
    ...(more && last !== undefined && { next: last.version }),
  };
}

/** One earlier version of an article, to compare or restore with a normal PUT. */
export async function getRevision(
  deps: ArticleServiceDeps,
  id: string,
  version: number,
): Promise<Omit<Article, InternalField>> {
  const revision = await deps.store.getRevision(id, version);
  if (revision === undefined) {
    const current = await deps.store.getArticle(id);
    if (current?.version === version) {
      throw new NotFoundError(`Version ${version} of "${id}" is the current one: GET /api/articles/${id}`);
    }
    throw new NotFoundError(`No version ${version} of article "${id}"`);
  }
  return withoutInternal(revision);
}
