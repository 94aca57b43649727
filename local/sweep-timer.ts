import type { SweepEvent } from '../functions/notify.ts';

/** How the local runtime runs the sweep for scheduled stories, as the cloud's schedule does. */
export interface SweepTimerOptions {
  /** The notify function's handler. */
  handler: (event: SweepEvent) => Promise<unknown>;
  /** Interval of the sweep (the notify handler floors event times to it). */
  intervalMs: number;
  /** Retries of a failed sweep, as Lambda retries an asynchronous invocation; default 2. */
  retryAttempts?: number;
  /** Pause before a retry; default 1 s. */
  retryDelayMs?: number;
  say: (line: string) => void;
}

/** A running sweep timer. */
export interface SweepTimer {
  stop(): Promise<void>;
}

/** The scheduled event EventBridge would send at `time`. */
function sweepEvent(time: Date): SweepEvent {
  return {
    id: `local-sweep-${time.getTime()}`,
    version: '0',
    account: '000000000000',
    time: time.toISOString(),
    region: 'local',
    resources: [],
    source: 'aws.events',
    'detail-type': 'Scheduled Event',
    detail: {},
  };
}

/**
 * Invokes the notify handler with a scheduled event at every interval
 * boundary, as the cloud's every-minute schedule does. Boundaries missed
 * while the process was busy are caught up, each once, so every window is
 * swept; a sweep that keeps failing is retried `retryAttempts` times and then
 * given up, with a line saying so (the cloud's dead-letter queue).
 */
export function startSweepTimer(options: SweepTimerOptions): SweepTimer {
  const retryAttempts = options.retryAttempts ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const boundary = (ms: number) => Math.floor(ms / options.intervalMs) * options.intervalMs;
  let last = boundary(Date.now());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const sweep = async (at: number) => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await options.handler(sweepEvent(new Date(at)));
        return;
      } catch (error) {
        if (attempt >= retryAttempts) {
          options.say(
            `Gave up on the sweep for stories due by ${new Date(at).toISOString()} after ${retryAttempts} retries ` +
              `(${(error as Error).message}); in the cloud it goes to the dead-letter queue.`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, retryDelayMs));
      }
    }
  };

  const tick = () => {
    running = (async () => {
      const now = boundary(Date.now());
      for (let at = last + options.intervalMs; at <= now && !stopped; at += options.intervalMs) {
        await sweep(at);
        last = at;
      }
    })();
    void running.finally(schedule);
  };
  const schedule = () => {
    if (stopped) return;
    // A little after the next boundary, so the boundary's second has begun everywhere.
    timer = setTimeout(tick, boundary(Date.now()) + options.intervalMs - Date.now() + 5);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
