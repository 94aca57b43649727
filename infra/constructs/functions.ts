import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type IFunction, type IVersion } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ORIGIN_KEYS_VARIABLE } from '../../functions/http/origin.ts';
import { ARCHITECTURE, BUNDLING, RUNTIME } from '../bundling.ts';
import type { LogLevel } from '../settings.ts';

/** The Lambda entry points, keyed by the name the stack and the docs use for them. */
export type FunctionName = 'articles' | 'feeds' | 'private' | 'pages' | 'notify';

/** What a function may do to the resources it is given; one statement list per function. */
export type Grants = (resources: { readonly table: ITable }) => PolicyStatement[];

/** What each function needs: its entry file, size, and exactly the permissions its code uses. */
export interface FunctionSpec {
  readonly name: FunctionName;
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  /** Seconds an invocation may run; default 10. */
  readonly timeoutSeconds?: number;
  readonly grants: Grants;
}

/** The reads every function issues: one item, one feed page, one batch of articles. */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'] as const;

/**
 * The writes of the articles function. TransactWriteItems has no IAM action of its own:
 * DynamoDB authorises each item of a transaction as the Put, Update, Delete or
 * ConditionCheck it is.
 */
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * Partition keys the public read functions may touch (`dynamodb:LeadingKeys`): feeds,
 * articles and Top Stories, never `KEY#…` (API-key hashes). They mirror the prefixes
 * built in functions/store/keys.ts; test/infra checks that they agree.
 */
export const READ_PARTITIONS = ['FEED#*', 'ARTICLE#*', 'TOP#*'] as const;

/** Allows `actions` on the table for items whose partition key matches one of `partitions`. */
function readOn(table: ITable, actions: readonly string[], partitions: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...actions],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } },
  });
}

const readPublicItems: Grants = ({ table }) => [readOn(table, TABLE_READ_ACTIONS, READ_PARTITIONS)];

/**
 * The private function's reads and writes: the public feeds' reads, a subscriber token's
 * record (GetItem on `SUB#…`), a note of each fetch on the token's listing entry (UpdateItem
 * in `SUBS`, never the listing's other items), and the day's salt for hashing clients
 * (`SALT#…`, unless the stack's salts table is given to it: constructs/subscribers.ts). Kept
 * apart from the feeds function, which reads public partitions only.
 */
const privateFeedItems: Grants = ({ table }) => [
  readOn(table, TABLE_READ_ACTIONS, READ_PARTITIONS),
  readOn(table, ['dynamodb:GetItem'], ['SUB#*']),
  readOn(table, ['dynamodb:UpdateItem'], ['SUBS']),
  readOn(table, ['dynamodb:GetItem', 'dynamodb:PutItem'], ['SALT#*']),
];

/**
 * The partition of the subscriber counts the pages may show (`publicCountKeys` in
 * functions/store/keys.ts): the estimate publishes them there, feeds at or above the floor only.
 */
export const PUBLIC_COUNTS_PARTITION = 'READERS';

/** The pages' reads: the public items, and a Query of the published subscriber counts. */
const readPages: Grants = ({ table }) => [
  ...readPublicItems({ table }),
  readOn(table, ['dynamodb:Query'], [PUBLIC_COUNTS_PARTITION]),
];

/**
 * The notify function's reads, each action on the partitions it reads: Top Stories
 * lists and an article's previous revision (GetItem), feed entries falling due
 * (Query), articles and their states (BatchGetItem). Its stream read, queue and
 * dead-letter sends are granted with its triggers (constructs/websub.ts).
 */
const notifyReads: Grants = ({ table }) =>
  (
    [
      [['dynamodb:GetItem'], ['TOP#*', 'ARTICLE#*']],
      [['dynamodb:Query'], ['FEED#*']],
      [['dynamodb:BatchGetItem'], ['ARTICLE#*']],
    ] as const
  ).map(([actions, partitions]) => readOn(table, actions, partitions));

/** Every function of the stack; the bundle tests build the same entries. */
export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    name: 'articles',
    entry: 'functions/articles.ts',
    description: 'Newswire write API: PUT/GET/DELETE /api/articles/{id}',
    memorySize: 256,
    // Reads keys too (bearer-key check), so no LeadingKeys condition; no Scan.
    grants: ({ table }) => [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        resources: [table.tableArn],
      }),
    ],
  },
  {
    name: 'feeds',
    entry: 'functions/feeds.ts',
    description: 'Newswire feeds: RSS, Atom and JSON Feed per edition and section',
    memorySize: 512,
    grants: readPublicItems,
  },
  {
    name: 'private',
    entry: 'functions/private.ts',
    description: "Newswire private feeds: a subscriber's copy of every feed, premium stories in full",
    memorySize: 512,
    grants: privateFeedItems,
  },
  {
    name: 'pages',
    entry: 'functions/pages.ts',
    description: 'Newswire HTML pages and OPML',
    memorySize: 512,
    grants: readPages,
  },
  {
    name: 'notify',
    entry: 'functions/notify.ts',
    description: 'Newswire WebSub notifier: pings the hub for the feeds each table change changed',
    memorySize: 256,
    // Never waits for caches (the ping queue does). A batch of 10 queued feeds is at most 30 requests to a hub
    // that takes one topic each, 10 at a time with a 5 s timeout: 15 s if the hub hangs. Pings that cannot
    // start in time fail and are retried.
    timeoutSeconds: 30,
    grants: notifyReads,
  },
];

/** The alias the HTTP API invokes; a rollback points it at an earlier version (docs/operations.md). */
export const LIVE_ALIAS = 'live';

/** Repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Inputs of the functions construct. */
export interface NewswireFunctionsProps {
  readonly table: ITable;
  readonly logLevel: LogLevel;
  /** Public site URL for links in feeds and pages; unset = the viewer's host (CloudFront), else newswire.config.ts. */
  readonly baseUrl?: string;
  /** The WebSub hub (newswire.config.ts, or NEWSWIRE_HUB_URL when the app was synthesized), for every function. */
  readonly hubUrl?: string;
  /** Reserved concurrency of the articles function, so a reader flood cannot take the newsroom's share. */
  readonly writeConcurrency?: number;
  /** The origin keys the HTTP functions accept (comma-separated dynamic references; see OriginKey). */
  readonly originKeys: string;
}

/**
 * One NodejsFunction per entry in functions/, each with its own least-privilege role and
 * log group, published as a version behind a `live` alias.
 */
export class NewswireFunctions extends Construct {
  /** The functions by name (unqualified: for metrics and logs). */
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;
  /** The `live` alias of each function: what the HTTP API invokes. */
  readonly aliases: Readonly<Record<FunctionName, IFunction>>;
  /** The functions' log groups by name. */
  readonly logGroups: Readonly<Record<FunctionName, LogGroup>>;

  constructor(scope: Construct, id: string, props: NewswireFunctionsProps) {
    super(scope, id);
    const functions: Partial<Record<FunctionName, NodejsFunction>> = {};
    const aliases: Partial<Record<FunctionName, IFunction>> = {};
    const logGroups: Partial<Record<FunctionName, LogGroup>> = {};
    for (const spec of FUNCTION_SPECS) {
      const logicalId = spec.name.charAt(0).toUpperCase() + spec.name.slice(1);
      const logGroup = new LogGroup(this, `${logicalId}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may
      // create and write any log group in the account; this one writes only its own.
      const role = new Role(this, `${logicalId}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the Newswire ${spec.name} function`,
      });
      logGroup.grantWrite(role);
      for (const statement of spec.grants({ table: props.table })) role.addToPrincipalPolicy(statement);
      const fn = new NodejsFunction(this, logicalId, {
        entry: join(PROJECT_ROOT, spec.entry),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
        runtime: RUNTIME,
        architecture: ARCHITECTURE,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
        description: spec.description,
        role,
        logGroup,
        bundling: BUNDLING,
        // Earlier versions stay after an update, so the alias can be pointed back at them.
        currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
        ...(spec.name === 'articles' &&
          props.writeConcurrency !== undefined && { reservedConcurrentExecutions: props.writeConcurrency }),
        environment: {
          TABLE_NAME: props.table.tableName,
          LOG_LEVEL: props.logLevel,
          NODE_OPTIONS: '--enable-source-maps',
          ...(props.baseUrl !== undefined && { NEWSWIRE_BASE_URL: props.baseUrl }),
          ...(props.hubUrl !== undefined && { NEWSWIRE_HUB_URL: props.hubUrl }),
          // Every function behind CloudFront refuses requests without the origin key; notify is behind none.
          ...(spec.name !== 'notify' && { [ORIGIN_KEYS_VARIABLE]: props.originKeys }),
        },
      });
      functions[spec.name] = fn;
      // Version.role and Alias.role are `IRole | undefined` where IVersion's and IFunction's are
      // optional, which exactOptionalPropertyTypes rejects; the objects are what they claim.
      const alias = new Alias(this, `${logicalId}Live`, {
        aliasName: LIVE_ALIAS,
        version: fn.currentVersion as unknown as IVersion,
        description: `The ${spec.name} version the HTTP API invokes`,
      });
      aliases[spec.name] = alias as unknown as IFunction;
      logGroups[spec.name] = logGroup;
    }
    this.byName = functions as Record<FunctionName, NodejsFunction>;
    this.aliases = aliases as Record<FunctionName, IFunction>;
    this.logGroups = logGroups as Record<FunctionName, LogGroup>;
  }
}
