import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ArticleStore } from '../functions/core/ports.ts';
import config from '../newswire.config.ts';
import { CliError } from './cli-error.ts';
import type { ProgressStream } from './progress.ts';
import { type ReindexState, reindex } from './reindex.ts';

/** The saved state of an interrupted reindex, if there is one; a CliError when the file is not one. */
export function readReindexState(path: string): ReindexState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as Partial<ReindexState>;
    if (
      typeof state.scanned !== 'number' ||
      typeof state.articles !== 'number' ||
      typeof state.orphans !== 'number'
    ) {
      throw new Error('incomplete');
    }
    return state as ReindexState;
  } catch {
    throw new CliError(`${path} is not a reindex state this command wrote; delete it, or pass --restart`);
  }
}

function summary(state: ReindexState): string {
  return `${state.scanned} items scanned, ${state.articles} articles' entries rewritten, ${state.orphans} orphan entries removed`;
}

/**
 * `newswire reindex`: runs a reindex to the end, saving its state after every
 * step so that an interrupted run continues where it stopped; progress on a
 * terminal as one line redrawn in place, piped as one line per step.
 */
export async function runReindex(
  store: ArticleStore,
  options: {
    statePath: string;
    saved: ReindexState | undefined;
    out: ProgressStream;
    say: (line: string) => void;
  },
): Promise<void> {
  const { saved } = options;
  if (saved !== undefined)
    options.out.write(`Continuing the reindex saved in ${options.statePath} (${summary(saved)}).\n`);
  const final = await reindex(store, config, {
    ...(saved !== undefined && { from: saved }),
    onStep: (state) => {
      if (state.next === undefined) rmSync(options.statePath, { force: true });
      else writeFileSync(options.statePath, `${JSON.stringify(state)}\n`);
      options.out.write(options.out.isTTY ? `\r\x1b[2K${summary(state)}` : `${summary(state)}\n`);
    },
  });
  if (options.out.isTTY) options.out.write('\r\x1b[2K');
  options.say(`Reindexed: ${summary({ ...final })}.`);
}
