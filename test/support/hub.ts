import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One publish ping as the stand-in hub received it. */
export interface Ping {
  mode: string | null;
  topics: string[];
  contentType: string | undefined;
  /** What the hub answered: a status, or `hung` when it never answered. */
  answer: number | 'hung';
  /** When it arrived (ms since the epoch). */
  at: number;
  /** When the publisher gave up on a hung ping and closed the connection. */
  closedAt?: number;
}

/** How the stand-in hub answers: accept; refuse or never answer each topic's first ping; refuse all. */
export type HubBehaviour = 'accept' | 'fail-first' | 'hang-first' | 'fail';

/** A local HTTP listener standing in for a WebSub hub, recording every ping. */
export interface TestHub {
  url: string;
  pings: Ping[];
  behaviour: HubBehaviour;
  /** Requests it is holding without an answer. */
  readonly hanging: number;
  /** Forgets every ping (and which topics were seen) and answers as `behaviour` from now on. */
  reset(behaviour: HubBehaviour): void;
  /** Every topic pinged, each as often as it was accepted. */
  accepted(): string[];
  /** Waits until `done(pings)` holds (at most `ms`), polling every 50 ms. */
  until(done: (pings: Ping[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the stand-in hub on a free loopback port. */
export async function startTestHub(): Promise<TestHub> {
  const held: ServerResponse[] = [];
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const topics = [...form.getAll('hub.url'), ...form.getAll('hub.url[]')];
      const first = topics.some((t) => !seen.has(t));
      for (const topic of topics) seen.add(topic);
      const ping: Ping = {
        mode: form.get('hub.mode'),
        topics,
        contentType: request.headers['content-type'],
        answer: 204,
        at: Date.now(),
      };
      hub.pings.push(ping);
      const behaviour = hub.behaviour;
      if (behaviour === 'hang-first' && first) {
        ping.answer = 'hung';
        held.push(response);
        response.on('close', () => {
          ping.closedAt = Date.now();
        });
        return;
      }
      ping.answer = behaviour === 'fail' || (behaviour === 'fail-first' && first) ? 500 : 204;
      response.writeHead(ping.answer);
      response.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const hub: TestHub = {
    url: `http://127.0.0.1:${port}/hub`,
    pings: [],
    behaviour: 'accept',
    get hanging() {
      return held.filter((r) => !r.writableEnded && !r.destroyed).length;
    },
    reset: (behaviour) => {
      hub.pings = [];
      seen.clear();
      hub.behaviour = behaviour;
    },
    accepted: () => hub.pings.filter((p) => p.answer === 204).flatMap((p) => p.topics),
    until: async (done, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!done(hub.pings)) {
        if (Date.now() > deadline) {
          throw new Error(
            `The hub did not get the expected pings within ${ms / 1000} s; it got:\n${JSON.stringify(hub.pings, null, 1)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  return hub;
}
