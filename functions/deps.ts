import config from '../newswire.config.ts';
import type { ArticleServiceDeps } from './core/articles.ts';
import type {
  PageDeps,
  PrivateFeedStore,
  ReadDeps,
  SaltStore,
  StatsStore,
  SubscriberStore,
} from './core/ports.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { debugEnabled, log } from './http/log.ts';
import { createDynamoClient, type StoreCall } from './store/client.ts';
import { DynamoArticleReader, DynamoArticleStore, DynamoNotifyReader } from './store/dynamo-article-store.ts';
import { DynamoPublicCounts } from './store/dynamo-public-counts.ts';
import { DynamoSaltStore, DynamoStatsStore } from './store/dynamo-stats-store.ts';
import { DynamoPrivateFeedStore, DynamoSubscriberStore } from './store/dynamo-subscriber-store.ts';

function client() {
  const endpoint = optionalEnv('DYNAMODB_ENDPOINT');
  const region = optionalEnv('AWS_REGION');
  return createDynamoClient({
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    // At debug, every call is logged with its time and the capacity DynamoDB reports; otherwise nothing is added.
    ...(debugEnabled() && {
      observe: ({ command, ms, ...rest }: StoreCall) =>
        log('debug', `Store ${command}`, { storeMs: ms, ...rest }),
    }),
  });
}

const warn = (message: string, context: Record<string, unknown>) => log('warn', message, context);

let cached: ArticleServiceDeps | undefined;
let readClient: ReturnType<typeof client> | undefined;

/** One client for the read functions' store and the pages' counts. */
function readerClient(): ReturnType<typeof client> {
  readClient ??= client();
  return readClient;
}
let cachedReads: (ReadDeps & { store: DynamoArticleReader }) | undefined;

/**
 * The production wiring: the site config, the DynamoDB store named by
 * TABLE_NAME (DYNAMODB_ENDPOINT for DynamoDB Local) and the wall clock.
 * Built on first use so the environment is read once, after start-up.
 */
export function defaultDeps(): ArticleServiceDeps {
  cached ??= {
    config,
    store: new DynamoArticleStore(client(), requireEnv('TABLE_NAME'), warn),
    clock: () => new Date(),
  };
  return cached;
}

/** The same wiring for the read functions (feeds, pages), with a store that only reads: their bundles carry no write code. */
export function readDeps(): ReadDeps & { store: DynamoArticleReader } {
  cachedReads ??= {
    config,
    store: new DynamoArticleReader(readerClient(), requireEnv('TABLE_NAME'), warn),
    clock: () => new Date(),
  };
  return cachedReads;
}

let cachedPages: PageDeps | undefined;

/** The read wiring for the pages function, with the published subscriber counts they may show. */
export function pageDeps(): PageDeps {
  cachedPages ??= {
    ...readDeps(),
    counts: new DynamoPublicCounts(readerClient(), requireEnv('TABLE_NAME')),
  };
  return cachedPages;
}

let cachedStats: StatsStore | undefined;

/** The subscriber tallies on the table named by TABLE_NAME, for `GET /api/stats`. */
export function statsStore(): StatsStore {
  cachedStats ??= new DynamoStatsStore(client(), requireEnv('TABLE_NAME'));
  return cachedStats;
}

/** The notify function's store: the public reads and an article's earlier versions. */
export function notifyStore(): DynamoNotifyReader {
  return new DynamoNotifyReader(client(), requireEnv('TABLE_NAME'), warn);
}

let cachedPrivate: PrivateFeedStore | undefined;

/** The private feeds function's view of subscriber tokens: their records, and notes of their fetches. */
export function privateFeedStore(): PrivateFeedStore {
  cachedPrivate ??= new DynamoPrivateFeedStore(client(), requireEnv('TABLE_NAME'));
  return cachedPrivate;
}

let cachedSalts: SaltStore | undefined;

/** The subscriber estimate's daily salts (SALT_TABLE_NAME in AWS; the table itself locally). */
export function saltStore(): SaltStore {
  cachedSalts ??= new DynamoSaltStore(client(), optionalEnv('SALT_TABLE_NAME') ?? requireEnv('TABLE_NAME'));
  return cachedSalts;
}

let cachedSubscribers: SubscriberStore | undefined;

/** Subscriber tokens, for `/api/subscribers`. */
export function subscriberStore(): SubscriberStore {
  cachedSubscribers ??= new DynamoSubscriberStore(client(), requireEnv('TABLE_NAME'));
  return cachedSubscribers;
}
