import { type Article, laterTime } from '../article.ts';
import { configFingerprint, entityTag, latest } from '../feed-pages.ts';
import type { FeedRef, ReadDeps, TopStories } from '../ports.ts';
import type { EntryScope } from '../scopes.ts';
import { visibleChangeOf } from '../top-stories.ts';

/**
 * The lists a page shows (a feed's latest entries, an edition's Top Stories),
 * known by what decides their bytes before a single article is fetched: the
 * validators of every page are computed here, from the refs store.listFeed
 * returns and the Top Stories list with its articles' versions, so that a
 * revalidation reads one Query (or GetItem) per list and renders nothing.
 */

/** One story a list shows: its id, where it sits, and the version the list names. */
export interface ListedStory {
  id: string;
  version: number;
  /** Its feed position (`publishedAt#id`), for lists read from a feed. */
  position?: string;
  /** When it last changed as pages show it (ISO). */
  modified: string;
}

/** A list planned for a page: its stories in the order shown, and what else its ETag covers. */
export interface PlannedList {
  name: string;
  stories: ListedStory[];
  /** Facts about the list itself (a Top Stories version, whether more stories follow). */
  facts: string[];
  /** When the list itself last changed (ISO; the Top Stories list's own time), besides its stories. */
  changed: string[];
}

/**
 * A list of feed entries, as a page plans it; `changed` is when the read that found them last saw
 * the feed change (FeedWindow.changedAt: withdrawals and moves out of it included).
 */
export function listOf(name: string, refs: readonly FeedRef[], changed: readonly string[] = []): PlannedList {
  return {
    name,
    stories: refs.map((r) => ({
      id: r.id,
      version: r.version,
      position: `${r.publishedAt}#${r.id}`,
      modified: r.changedAt,
    })),
    facts: [],
    changed: [...changed],
  };
}

/** The newest stories of a feed, at most `limit`: one Query. */
export async function planFeedList(
  deps: ReadDeps,
  name: string,
  scope: EntryScope,
  limit: number,
): Promise<PlannedList> {
  const window = await deps.store.listFeed(scope, { now: deps.clock(), limit });
  return listOf(name, window.entries, [window.changedAt]);
}

/**
 * A list without the stories another list shows (a front's Top Stories, the
 * story a page is about), cut to `limit`: read `limit` plus as many as may be
 * left out, then leave them out.
 */
export function without(list: PlannedList, shown: Iterable<string>, limit: number): PlannedList {
  const ids = new Set(shown);
  return { ...list, stories: list.stories.filter((s) => !ids.has(s.id)).slice(0, limit) };
}

/**
 * An edition's Top Stories as a page shows them: in the editors' order, the
 * first `limit` that are published and not withdrawn, leaving out `exclude`.
 * One GetItem of the list; the versions of its stories come from `known`,
 * entries of the edition's feed the page read anyway (a story there is
 * published and in the edition), and only for the others from one
 * BatchGetItem of their articles' states.
 */
export async function planTopList(
  deps: ReadDeps,
  edition: string,
  limit: number,
  options: { exclude?: string; known?: readonly FeedRef[] } = {},
): Promise<PlannedList> {
  return topListOf(deps, await deps.store.getTopStories(edition), limit, options);
}

/** planTopList for a list already read (beside the page's other reads). */
export async function topListOf(
  deps: ReadDeps,
  list: TopStories | undefined,
  limit: number,
  options: { exclude?: string; known?: readonly FeedRef[] } = {},
): Promise<PlannedList> {
  const ids = (list?.articles ?? []).filter((id) => id !== options.exclude);
  const known = new Map((options.known ?? []).map((r) => [r.id, r]));
  // Ask for states only when a story the page may show is not among the entries known.
  let live = 0;
  let unknown = false;
  for (const id of ids) {
    if (!known.has(id)) {
      unknown = true;
      break;
    }
    if (++live === limit) break;
  }
  const missing = ids.filter((id) => !known.has(id));
  const states = unknown ? await deps.store.getArticleStates(missing) : new Map();
  const now = deps.clock().toISOString();
  const stories: ListedStory[] = [];
  // When readers' view of the list last changed: its own visible change, and any story read that left
  // it (withdrawn or rescheduled). Only what readers see: a scheduled id, or its edits, changes nothing.
  const changed = list === undefined ? [] : [visibleChangeOf(list)];
  for (const id of ids) {
    const ref = known.get(id);
    const state = states.get(id);
    if (ref !== undefined) stories.push({ id, version: ref.version, modified: ref.changedAt });
    else if (state !== undefined && !state.withdrawn && state.publishedAt <= now) {
      stories.push({
        id,
        version: state.version,
        modified: laterTime(state.publishedAt, state.publicChangeAt ?? state.updatedAt),
      });
    } else if (state?.publicChangeAt !== undefined) changed.push(state.publicChangeAt);
    else if (state?.withdrawn) changed.push(state.updatedAt);
    if (stories.length === limit) break;
  }
  // The stories shown and their order are in the validators; the list's version is not (it moves
  // when a scheduled id is added, which changes nothing readers see).
  return { name: 'top', stories, facts: [], changed };
}

/** A page's strong ETag and Last-Modified (undefined for a document made from the code and config alone). */
export interface PageValidators {
  etag: string;
  lastModified: Date | undefined;
}

/**
 * The validators of a page from its identity (kind, address, renderer,
 * config) and its lists, with each story at `versions` (the versions the
 * lists name; the versions read, once a render has fetched the articles).
 */
export function pageValidators(
  deps: ReadDeps,
  identity: readonly string[],
  lists: readonly PlannedList[],
  versions: (story: ListedStory) => string = (story) => String(story.version),
): PageValidators {
  const parts = [configFingerprint(deps.config), ...identity];
  const times: string[] = [];
  for (const list of lists) {
    parts.push(`[${list.name}]`, ...list.facts);
    for (const story of list.stories) parts.push(`${story.position ?? story.id}:${versions(story)}`);
    times.push(...list.changed, ...list.stories.map((s) => s.modified));
  }
  return { etag: entityTag(parts), lastModified: latest(times) };
}

/**
 * The articles of a page's lists, fetched for its render (one BatchGetItem
 * per 100), and the validators of what was read: the planned ones when every
 * article was at the version its list named, else ones that describe the
 * versions read, so a page rendered from a newer read never gets an ETag a
 * later revalidation would match by mistake.
 */
export async function fetchLists(
  deps: ReadDeps,
  identity: readonly string[],
  lists: readonly PlannedList[],
  planned: PageValidators,
  extra: readonly Article[] = [],
): Promise<{ articles: Map<string, Article>; validators: PageValidators }> {
  const known = new Map(extra.map((a) => [a.id, a]));
  const ids = [...new Set(lists.flatMap((l) => l.stories.map((s) => s.id)))].filter((id) => !known.has(id));
  const fetched = ids.length === 0 ? new Map<string, Article>() : await deps.store.getArticles(ids);
  for (const [id, article] of known) fetched.set(id, article);
  const exact = lists.every((l) => l.stories.every((s) => fetched.get(s.id)?.version === s.version));
  return {
    articles: fetched,
    validators: exact
      ? planned
      : pageValidators(deps, identity, lists, (s) => String(fetched.get(s.id)?.version ?? 'gone')),
  };
}

/** The articles of a list in its order, those that are still shown where `shown` says. */
export function articlesOf(
  list: PlannedList,
  articles: ReadonlyMap<string, Article>,
  shown: (article: Article | undefined) => article is Article,
): Article[] {
  return list.stories.flatMap((s) => {
    const article = articles.get(s.id);
    return shown(article) ? [article] : [];
  });
}
