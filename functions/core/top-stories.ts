import { ARTICLE_ID, LIMITS } from './article.ts';
import type { ArticleServiceDeps, WritePreconditions } from './articles.ts';
import { findEdition } from './editions.ts';
import { ConflictError, type FieldProblem, PreconditionFailedError, ValidationError } from './errors.ts';
import { checkIfMatch } from './if-match.ts';
import type { ArticleState, TopStories } from './ports.ts';

/** Strong ETag of a Top Stories list version (`"v0"`: none set yet). */
export function topStoriesEtag(list: Pick<TopStories, 'version'>): string {
  return `"v${list.version}"`;
}

/**
 * The stories a Top Stories list shows at `at`, in the editors' order: the ids
 * whose article exists, is not withdrawn and is published by then. A scheduled
 * id is in the list but shows nowhere until its time comes.
 */
export function visibleTopStories(
  list: Pick<TopStories, 'articles'> | undefined,
  states: ReadonlyMap<string, Pick<ArticleState, 'publishedAt' | 'withdrawn'>>,
  at: Date,
): string[] {
  const atIso = at.toISOString();
  return (list?.articles ?? []).filter((id) => {
    const state = states.get(id);
    return state !== undefined && !state.withdrawn && state.publishedAt <= atIso;
  });
}

/** When a list's visible stories last changed by a write (lists stored before the field: their last write). */
export function visibleChangeOf(list: Pick<TopStories, 'updatedAt' | 'visibleChangedAt'>): string {
  return list.visibleChangedAt ?? list.updatedAt;
}

/** The visible change time of a list that has never shown a story. */
const NEVER = '1970-01-01T00:00:00.000Z';

/** The list as the API answers it: the editors' list, without what the server keeps for itself. */
function asPublished({ visibleChangedAt: _, ...list }: TopStories): TopStories {
  return list;
}

/** An edition's Top Stories; an empty list (version 0) when editors have set none. */
export async function getTopStories(deps: ArticleServiceDeps, edition: string): Promise<TopStories> {
  findEdition(deps.config, edition);
  const list = await deps.store.getTopStories(edition);
  return list === undefined ? { edition, articles: [], version: 0, updatedAt: '' } : asPublished(list);
}

function parseList(input: unknown): string[] {
  const problems: FieldProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field: '', message: 'must be a JSON object: {"articles": ["id", …]}' }]);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!['articles', 'edition', 'version', 'updatedAt', 'warnings'].includes(key)) {
      problems.push({ field: key, message: 'is not a known field' });
    }
  }
  const { articles } = record;
  if (articles === undefined || articles === null) {
    problems.push({ field: 'articles', message: 'is required' });
  } else if (!Array.isArray(articles)) {
    problems.push({ field: 'articles', message: 'must be an array of article ids' });
  } else if (articles.length > LIMITS.topStories) {
    problems.push({ field: 'articles', message: `must have at most ${LIMITS.topStories} articles` });
  } else {
    const seen = new Set<string>();
    for (const [i, id] of articles.entries()) {
      if (typeof id !== 'string' || !ARTICLE_ID.test(id)) {
        problems.push({ field: `articles.${i}`, message: 'must be an article id' });
      } else if (seen.has(id)) {
        problems.push({ field: `articles.${i}`, message: `repeats "${id}"` });
      }
      if (typeof id === 'string') seen.add(id);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return articles as string[];
}

/** What a listed id that readers cannot see yet (or any more) is told in the PUT's answer. */
function hiddenWarnings(
  ids: readonly string[],
  states: ReadonlyMap<string, ArticleState>,
  now: string,
): FieldProblem[] {
  return ids.flatMap((id, i) => {
    const state = states.get(id);
    if (state === undefined) return [];
    if (state.withdrawn) {
      return [{ field: `articles.${i}`, message: `"${id}" is withdrawn: Top Stories leave it out` }];
    }
    if (state.publishedAt > now) {
      return [
        {
          field: `articles.${i}`,
          message: `"${id}" is scheduled for ${state.publishedAt}: it joins Top Stories then, and until then nothing readers see changes`,
        },
      ];
    }
    return [];
  });
}

/** The list as stored, and what the PUT's answer tells the editor (listed stories readers cannot see). */
export interface TopStoriesWrite {
  list: TopStories;
  created: boolean;
  warnings: FieldProblem[];
}

/**
 * Sets an edition's Top Stories (PUT /api/editions/{edition}/top-stories):
 * up to 30 article ids in the editors' order. Every id must name an article.
 * A scheduled or withdrawn one may be listed, with a warning: feeds leave it
 * out until it is published (and drop it when it is withdrawn), and listing
 * it changes nothing public — bytes, ETag, Last-Modified — until then.
 * If-Match is honoured (strongly).
 */
export async function putTopStories(
  deps: ArticleServiceDeps,
  edition: string,
  input: unknown,
  conditions: WritePreconditions = {},
): Promise<TopStoriesWrite> {
  findEdition(deps.config, edition);
  const ids = parseList(input);
  const states = ids.length === 0 ? new Map<string, ArticleState>() : await deps.store.getArticleStates(ids);
  const unknown = ids.flatMap((id, i) =>
    states.has(id) ? [] : [{ field: `articles.${i}`, message: `no article "${id}"` }],
  );
  if (unknown.length > 0) throw new ValidationError(unknown);
  const conditional = conditions.ifMatch !== undefined || conditions.ifNoneMatchAny === true;
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getTopStories(edition);
    checkConditions(current, conditions);
    const earlier = (current?.articles ?? []).filter((id) => !states.has(id));
    const allStates =
      earlier.length === 0 ? states : new Map([...states, ...(await deps.store.getArticleStates(earlier))]);
    const now = deps.clock();
    const shown = visibleTopStories({ articles: ids }, allStates, now);
    const shownBefore = visibleTopStories(current, allStates, now);
    const unchanged = shown.length === shownBefore.length && shown.every((id, i) => id === shownBefore[i]);
    const list: TopStories = {
      edition,
      articles: ids,
      version: (current?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
      // A write that changes nothing a reader sees (adding a still-scheduled id) keeps the time of the
      // last one that did: WebSub pings nothing for it (functions/core/websub.ts).
      visibleChangedAt: !unchanged
        ? now.toISOString()
        : current === undefined
          ? NEVER
          : visibleChangeOf(current),
    };
    try {
      await deps.store.saveTopStories(list, current?.version);
      return {
        list: asPublished(list),
        created: current === undefined,
        warnings: hiddenWarnings(ids, states, now.toISOString()),
      };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Without preconditions the last writer wins; with them, say what is current now.
      if (conditional || attempt >= 3) {
        const winner = await deps.store.getTopStories(edition);
        throw new PreconditionFailedError(
          'Top Stories changed while they were being written',
          winner === undefined ? undefined : topStoriesEtag(winner),
          { cause: error },
        );
      }
    }
  }
}

function checkConditions(current: TopStories | undefined, conditions: WritePreconditions): void {
  const etag = current === undefined ? undefined : topStoriesEtag(current);
  if (conditions.ifNoneMatchAny && current !== undefined) {
    throw new PreconditionFailedError('Top Stories are already set (If-None-Match: *)', etag);
  }
  if (conditions.ifMatch === undefined) return;
  if (current === undefined) throw new PreconditionFailedError('No Top Stories are set yet (If-Match)');
  checkIfMatch(conditions.ifMatch, etag!, 'Top Stories have changed');
}
