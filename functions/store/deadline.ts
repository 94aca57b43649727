import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A deadline for all the store calls one request makes: each call is bounded
 * on its own (client.ts), but a request makes several (a write reads, then
 * writes), so the request as a whole gets a budget too, carried through its
 * async calls without threading it through the core.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Store work one request may take in all before it is answered with a 503: well inside 5 s. */
export const REQUEST_STORE_BUDGET_MS = 4500;

/** Runs `work` with every store call it makes bounded by one deadline, `ms` from now. */
export function withStoreDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(Date.now() + ms, work);
}

/** An abort signal for the current request's deadline, or undefined outside one. */
export function deadlineSignal(): AbortSignal | undefined {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, deadline - Date.now()));
}
