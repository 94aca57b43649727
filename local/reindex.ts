import { entriesOf } from '../functions/core/articles.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import type { ArticleStore } from '../functions/core/ports.ts';

/** How far a reindex has got. */
export interface ReindexProgress {
  /** Items looked at so far. */
  scanned: number;
  /** Articles whose feed entries were rewritten. */
  articles: number;
  /** Entries removed because no article calls for them any more. */
  orphans: number;
}

/** Where a reindex stands: its progress and where to continue (undefined when complete). */
export interface ReindexState extends ReindexProgress {
  next?: string;
}

/**
 * Rebuilds every feed entry from the stored articles, under `config` as it
 * is now: entries each article calls for are written (with no new version
 * and no change to updatedAt), entries nothing calls for are removed. Needed
 * after a change of editions or sections, or to give existing articles
 * writer and topic feeds. Resumable: pass the last state's `next` as `start`;
 * `onStep` is called after every step with the state to save.
 */
export async function reindex(
  store: ArticleStore,
  config: SiteConfig,
  options: {
    from?: ReindexState;
    pageSize?: number;
    onStep?: (state: ReindexState) => void | Promise<void>;
  } = {},
): Promise<ReindexProgress> {
  const state: ReindexState = {
    scanned: options.from?.scanned ?? 0,
    articles: options.from?.articles ?? 0,
    orphans: options.from?.orphans ?? 0,
    ...(options.from?.next !== undefined && { next: options.from.next }),
  };
  do {
    const step = await store.reindexStep((article) => entriesOf(article, config), {
      limit: options.pageSize ?? 100,
      ...(state.next !== undefined && { start: state.next }),
    });
    state.scanned += step.scanned;
    state.articles += step.articles;
    state.orphans += step.orphans;
    if (step.next === undefined) delete state.next;
    else state.next = step.next;
    await options.onStep?.({ ...state });
  } while (state.next !== undefined);
  return { scanned: state.scanned, articles: state.articles, orphans: state.orphans };
}
