import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { issueApiKey } from '../functions/core/api-keys.ts';
import type { ArticleServiceDeps } from '../functions/core/articles.ts';
import { validateConfig } from '../functions/core/config-schema.ts';
import { ConflictError } from '../functions/core/errors.ts';
import type { ApiKeyRecord } from '../functions/core/ports.ts';
import { FEED_FILES } from '../functions/core/urls.ts';
import type { NotifyDeps } from '../functions/core/websub.ts';
import { createDynamoClient, STORE_TIMEOUTS } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import {
  DynamoPublicCountStore,
  DynamoSaltStore,
  DynamoStatsStore,
} from '../functions/store/dynamo-stats-store.ts';
import { ensureTable } from '../functions/store/table.ts';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from './dynamodb-local.ts';
import { useLocalLogFormat } from './log-format.ts';
import { createLocalPingQueue, type LocalPingQueue } from './ping-queue.ts';
import { assertPortFree } from './port.ts';
import { seedNewsroom } from './seed.ts';
import { type ResponseObserver, startHttpServer } from './server.ts';
import { type StatsRecorder, startStatsRecorder } from './stats-recorder.ts';
import { type StreamPoller, startStreamPoller } from './stream-poller.ts';
import { type SweepTimer, startSweepTimer } from './sweep-timer.ts';

/** How to run Newswire on one machine. */
export interface LocalOptions {
  port?: number;
  host?: string;
  /** Where data, the dev key and DynamoDB Local's files live (default `.newswire`). */
  dataDir?: string;
  /** Throwaway data: DynamoDB Local in memory, nothing written to dataDir. */
  inMemory?: boolean;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  tableName?: string;
  /** Seed the sample newsroom when the table is new (default true). */
  seed?: boolean;
  log?: (line: string) => void;
  /** The WebSub hub to ping (sets NEWSWIRE_HUB_URL); default NEWSWIRE_HUB_URL, else the config's hubUrl. */
  hubUrl?: string;
  /** How long a queued ping waits before it is sent (NEWSWIRE_PING_DELAY_MS); default 0: no CloudFront in front locally. */
  pingDelayMs?: number;
  /** Pause between polls of the table's stream when it has nothing new; default 500 ms. */
  streamPollMs?: number;
  /** Interval of the sweep for scheduled stories (NEWSWIRE_SWEEP_INTERVAL_MS); default 60 s, as in the cloud. */
  sweepIntervalMs?: number;
  /** How long one ping may take before it counts as failed (NEWSWIRE_HUB_TIMEOUT_MS); default 5 s. */
  hubTimeoutMs?: number;
  /** Pause before retrying a failed stream batch, queued ping or sweep; default 1 s. */
  notifyRetryDelayMs?: number;
  /** Sees every request's event and reply (tests check replies against the OpenAPI document). */
  observe?: ResponseObserver;
  /** How often the requests served are counted into the subscriber estimate; default 10 s. */
  statsFlushMs?: number;
}

/** A running local Newswire. */
export interface LocalNewswire {
  url: string;
  endpoint: string;
  tableName: string;
  apiKey: string;
  deps: ArticleServiceDeps;
  /** The DynamoDB Local this runtime started and keeps running (none with `dynamodbEndpoint`). */
  dynamodb?: DynamoDbLocal;
  /** Counts the requests served so far into the subscriber estimate now, rather than at the next interval. */
  flushStats(): Promise<void>;
  stop(): Promise<void>;
}

function devKey(dataDir: string | undefined, deps: ArticleServiceDeps, fresh: boolean) {
  const path = dataDir === undefined ? undefined : join(dataDir, 'dev-key');
  if (path !== undefined && !fresh && existsSync(path))
    return { token: readFileSync(path, 'utf8').trim(), created: false };
  const issued = issueApiKey('dev', deps.clock());
  return { token: issued.token, record: issued.record, path, created: true };
}

/**
 * Starts Newswire locally: DynamoDB Local (unless an endpoint is given), the
 * table, the sample newsroom on first start, a dev API key, and the Lambda
 * handlers over HTTP; with a WebSub hub configured, the notify handler fed by
 * the table's stream and the sweep timer.
 */
export async function startNewswire(options: LocalOptions = {}): Promise<LocalNewswire> {
  const say = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort());
  // Before DynamoDB Local starts and the newsroom is seeded: a taken port should fail in a moment.
  await assertPortFree(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // The config reads the base URL when it is first imported; the functions do not validate it, so this does,
  // before anything starts: a bad newswire.config.ts is a ConfigError naming every bad field.
  process.env.NEWSWIRE_BASE_URL = url;
  // WebSub: the config reads NEWSWIRE_HUB_URL when first imported, too; the notify handler reads the rest
  // when it is first used, like the others.
  if (options.hubUrl !== undefined) process.env.NEWSWIRE_HUB_URL = options.hubUrl;
  if (options.pingDelayMs !== undefined) process.env.NEWSWIRE_PING_DELAY_MS = String(options.pingDelayMs);
  if (options.hubTimeoutMs !== undefined) process.env.NEWSWIRE_HUB_TIMEOUT_MS = String(options.hubTimeoutMs);
  if (options.sweepIntervalMs !== undefined) {
    process.env.NEWSWIRE_SWEEP_INTERVAL_MS = String(options.sweepIntervalMs);
  }
  validateConfig((await import('../newswire.config.ts')).default);
  const dataDir = options.inMemory ? undefined : (options.dataDir ?? '.newswire');
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const tableName = options.tableName ?? 'newswire';
  let dynamo: DynamoDbLocal | undefined;
  let endpoint = options.dynamodbEndpoint;
  // Set once the table and dev key are ready: what to redo when DynamoDB Local had to be restarted.
  let afterRestart: (() => Promise<void>) | undefined;
  if (endpoint === undefined) {
    say('Starting DynamoDB Local…');
    dynamo = await startDynamoDbLocal(dataDir === undefined ? undefined : join(dataDir, 'dynamodb'), {
      log: say,
      onRestart: async () => afterRestart?.(),
    });
    endpoint = dynamo.endpoint;
  }
  // The handlers read these once, when they are first used.
  process.env.TABLE_NAME = tableName;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // One readable line per request instead of CloudWatch JSON, and no EMF metric records.
  useLocalLogFormat();
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  let poller: StreamPoller | undefined;
  let sweeper: SweepTimer | undefined;
  let pingQueue: LocalPingQueue | undefined;
  let recorder: StatsRecorder | undefined;
  try {
    // Setting up is no client's request: it may wait for a DynamoDB Local that has just started.
    const client = createDynamoClient({ endpoint, timeouts: STORE_TIMEOUTS.setup });
    const [{ defaultDeps }, articles, feeds, privateFeeds, pages, notify] = await Promise.all([
      import('../functions/deps.ts'),
      import('../functions/articles.ts'),
      import('../functions/feeds.ts'),
      import('../functions/private.ts'),
      import('../functions/pages.ts'),
      import('../functions/notify.ts'),
    ]);
    const deps = defaultDeps();
    // The stream is on when WebSub is: the notify handler reads it, and nothing else needs it.
    const table = { stream: deps.config.hubUrl !== undefined };
    const created = await ensureTable(client, tableName, table);
    const setup = { ...deps, store: new DynamoArticleStore(client, tableName) };
    const saveKey = async (record: ApiKeyRecord) => {
      // Key ids are random: "already exists" is a retry finding what its timed-out first attempt wrote.
      await setup.store.putApiKey(record).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
    };
    if (created && options.seed !== false) {
      say('Seeding the sample newsroom…');
      const count = await seedNewsroom(setup);
      say(`Seeded ${count} articles.`);
    }
    let key = devKey(dataDir, deps, created);
    // The dev key's record in the table, and its token in the data folder (when it has one).
    const persistKey = async (record: ApiKeyRecord) => {
      await saveKey(record);
      if (key.path !== undefined) writeFileSync(key.path, `${key.token}\n`, { mode: 0o600 });
    };
    if (key.record !== undefined) await persistKey(key.record);
    afterRestart = async () => {
      // In memory (or if its files went), DynamoDB Local comes back without the table: make it again.
      if (!(await ensureTable(client, tableName, table))) return;
      const count = options.seed === false ? 0 : await seedNewsroom(setup);
      // The dev key's record is known when it was made this run (always so in memory); else make a new key.
      let keyNote = 'the dev API key still works';
      if (key.record === undefined) {
        key = devKey(dataDir, deps, true);
        keyNote = `new dev API key: ${key.token}`;
      }
      await persistKey(key.record!);
      const lost = dataDir === undefined ? 'it ran in memory' : 'its files were gone';
      const content = count > 0 ? `with the ${count} sample articles` : 'empty';
      say(
        `DynamoDB Local lost the table "${tableName}" (${lost}): created it again, ${content}; ${keyNote}.`,
      );
    };
    // The subscriber estimate counts the server's own requests, as it counts CloudFront's logs in the cloud.
    const requests = createDynamoClient({ endpoint });
    const stats = startStatsRecorder({
      deps: {
        config: deps.config,
        clock: deps.clock,
        stats: new DynamoStatsStore(requests, tableName),
        salts: new DynamoSaltStore(requests, tableName),
        counts: new DynamoPublicCountStore(requests, tableName),
      },
      ...(options.statsFlushMs !== undefined && { intervalMs: options.statsFlushMs }),
      say,
    });
    recorder = stats;
    const server: Server = await startHttpServer(
      {
        articles: articles.handler,
        feeds: feeds.handler,
        private: privateFeeds.handler,
        pages: pages.handler,
      },
      port,
      host,
      (event, result) => {
        stats.observe(event, result);
        options.observe?.(event, result);
      },
    );
    const hubUrl = deps.config.hubUrl;
    if (hubUrl !== undefined) {
      // The same notify handler as in the cloud, fed by DynamoDB Local's own stream, a timer and a local
      // stand-in for its delay queue.
      const retryDelayMs = options.notifyRetryDelayMs ?? 1000;
      const delayMs = Number(process.env.NEWSWIRE_PING_DELAY_MS ?? 0);
      pingQueue = createLocalPingQueue({ delayMs, retryDelayMs, say });
      const queue = pingQueue;
      const sweepIntervalMs = notify.sweepIntervalMs();
      let notifyDeps: NotifyDeps | undefined;
      const handler = notify.createNotifyHandler(
        () => {
          notifyDeps ??= notify.createNotifyDeps(queue);
          return notifyDeps;
        },
        { sweepIntervalMs },
      );
      pingQueue.start(handler);
      poller = await startStreamPoller({
        endpoint,
        dynamo: client,
        tableName,
        handler,
        intervalMs: options.streamPollMs ?? 500,
        retryDelayMs,
        say,
      });
      sweeper = startSweepTimer({ handler, intervalMs: sweepIntervalMs, retryDelayMs, say });
      say(
        `WebSub: every feed change is pinged to ${hubUrl} (from the table's stream; scheduled stories ` +
          `swept every ${sweepIntervalMs / 1000} s; pings queued ${delayMs / 1000} s).`,
      );
    }
    return {
      url,
      endpoint,
      tableName,
      apiKey: key.token,
      deps,
      ...(dynamo !== undefined && { dynamodb: dynamo }),
      flushStats: () => stats.flush(),
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await Promise.all([poller?.stop(), sweeper?.stop(), recorder?.stop()]);
        await pingQueue?.stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await Promise.all([poller?.stop(), sweeper?.stop(), pingQueue?.stop(), recorder?.stop()]);
    await dynamo?.stop();
    throw error;
  }
}

/** The feed URLs worth printing at start-up. */
export function sampleFeedUrls(url: string, editions: string[]): string[] {
  return [
    `${url}/`,
    `${url}/opml.xml`,
    ...editions.map((e) => `${url}/${e}/${FEED_FILES.rss}`),
    `${url}/asia/${FEED_FILES.atom}`,
    `${url}/international/${FEED_FILES.json}`,
    `${url}/europe/world/${FEED_FILES.rss}`,
  ];
}
