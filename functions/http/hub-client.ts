import { HubError } from '../core/errors.ts';
import type { HubClient, PublishRequest } from '../core/websub.ts';

/** How long one publish request may take before it counts as failed (and is retried). */
export const HUB_TIMEOUT_MS = 5000;

/**
 * Sends WebSub publish pings with fetch: a form-encoded POST per request,
 * accepted when the hub answers 2xx (hubs answer 204), a HubError otherwise
 * or when it does not answer within `timeoutMs`.
 */
export function createHubClient(options: { timeoutMs?: number; userAgent?: string } = {}): HubClient {
  const timeoutMs = options.timeoutMs ?? HUB_TIMEOUT_MS;
  return {
    async publish(request: PublishRequest): Promise<void> {
      let response: Response;
      try {
        response = await fetch(request.hub, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(options.userAgent !== undefined && { 'user-agent': options.userAgent }),
          },
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `did not answer within ${timeoutMs} ms`
            : 'could not be reached';
        throw new HubError(`The hub ${reason}`, undefined, { cause: error });
      }
      // The body is of no use; read it so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new HubError(`The hub answered ${response.status}`, response.status);
    },
  };
}
