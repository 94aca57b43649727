import type { Node } from 'constructs';
import { WAF_RATE_LIMIT, WAF_RATE_LIMIT_BOUNDS } from './constructs/web-acl.ts';

/** Log levels the functions understand through LOG_LEVEL. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Per-deployment choices read from CDK context (`npx cdk deploy -c key=value`), apart from the site itself. */
export interface DeploySettings {
  /** CloudFormation stack name (context `stackName`, default `Newswire`). */
  readonly stackName: string;
  /** Custom domain served by CloudFront, e.g. `news.example.com`. Needs `certificateArn`. */
  readonly domainName?: string;
  /** ACM certificate for `domainName`; CloudFront only accepts certificates in us-east-1. */
  readonly certificateArn?: string;
  /** Email address subscribed to the alarm topic (confirm the subscription mail once). */
  readonly alarmEmail?: string;
  /** Region of the CloudFront Origin Shield; default: the one AWS recommends for the stack's region. */
  readonly originShieldRegion?: string;
  /** ARN of a CLOUDFRONT-scope AWS WAF web ACL to attach to the distribution. */
  readonly webAclArn?: string;
  /** Create a web ACL with a rate limit per client address and attach it (context `waf=true`). */
  readonly waf: boolean;
  /** That web ACL's limit: requests per client address in 5 minutes (context `wafRateLimit`). */
  readonly wafRateLimit: number;
  /** Write CloudFront standard access logs to an S3 bucket (context `accessLogs=true`). */
  readonly accessLogs: boolean;
  /** LOG_LEVEL for the functions (context `logLevel`, default `info`). */
  readonly logLevel: LogLevel;
  /** Pin the stack to an account (context `account`); env-agnostic when absent. */
  readonly account?: string;
  /** Pin the stack to a region (context `region`); env-agnostic when absent. */
  readonly region?: string;
  /** Use this existing table (e.g. restored from point-in-time recovery) instead of the stack's own. */
  readonly tableName?: string;
  /** The stream of that table (context `tableStreamArn`), so WebSub pings follow its writes. */
  readonly tableStreamArn?: string;
  /** Reserved concurrency for the articles function (context `writeConcurrency`); none by default. */
  readonly writeConcurrency?: number;
  /** Deploy even though newswire.config.ts still holds example values (context `allowExampleValues=true`). */
  readonly allowExampleValues: boolean;
  /** The origin key CloudFront sends (context `originKeyGeneration`, default 1); raise it by one to rotate. */
  readonly originKeyGeneration: number;
}

/** Raised when a `-c key=value` setting is malformed; the message names the key. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads and validates the deployment settings from CDK context, failing on the first bad key. */
export function readSettings(node: Node): DeploySettings {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new SettingsError(`context "${key}" must be a string`);
    return value.trim();
  };
  const matching = (key: string, pattern: RegExp, hint: string): string | undefined => {
    const value = text(key);
    if (value !== undefined && !pattern.test(value)) {
      throw new SettingsError(`context "${key}" = "${value}" ${hint}`);
    }
    return value;
  };
  const flag = (key: string): boolean => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return false;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new SettingsError(`context "${key}" must be true or false`);
  };

  const domainName = matching('domainName', DOMAIN, 'is not a lowercase host name such as news.example.com');
  const certificateArn = matching('certificateArn', CERTIFICATE_ARN, 'is not an ACM certificate ARN');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new SettingsError('context "domainName" and "certificateArn" must be given together');
  }
  const certificateRegion =
    certificateArn === undefined ? undefined : CERTIFICATE_ARN.exec(certificateArn)?.[1];
  if (certificateRegion !== undefined && certificateRegion !== 'us-east-1') {
    throw new SettingsError(
      `context "certificateArn" is in ${certificateRegion}; CloudFront only uses ACM certificates from us-east-1`,
    );
  }
  const logLevel = text('logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new SettingsError(`context "logLevel" must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const rawConcurrency: unknown = node.tryGetContext('writeConcurrency');
  const writeConcurrency =
    typeof rawConcurrency === 'number' ? String(rawConcurrency) : text('writeConcurrency');
  if (writeConcurrency !== undefined && !/^[1-9]\d{0,4}$/.test(writeConcurrency)) {
    throw new SettingsError(
      `context "writeConcurrency" = "${writeConcurrency}" is not a whole number of 1 or more`,
    );
  }
  const rawRateLimit: unknown = node.tryGetContext('wafRateLimit');
  const wafRateLimit = typeof rawRateLimit === 'number' ? String(rawRateLimit) : text('wafRateLimit');
  const { min, max } = WAF_RATE_LIMIT_BOUNDS;
  if (
    wafRateLimit !== undefined &&
    !(/^[1-9]\d{0,9}$/.test(wafRateLimit) && Number(wafRateLimit) >= min && Number(wafRateLimit) <= max)
  ) {
    throw new SettingsError(
      `context "wafRateLimit" = "${wafRateLimit}" is not a whole number from ${min} to ${max} (requests per client address in 5 minutes)`,
    );
  }
  const waf = flag('waf');
  if (wafRateLimit !== undefined && !waf) {
    throw new SettingsError(
      'context "wafRateLimit" needs waf=true (it is the limit of the web ACL that creates)',
    );
  }
  const stackName = matching('stackName', /^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'is not a valid stack name');
  const rawGeneration: unknown = node.tryGetContext('originKeyGeneration');
  const generation = typeof rawGeneration === 'number' ? String(rawGeneration) : text('originKeyGeneration');
  if (generation !== undefined && !/^[1-9]\d{0,5}$/.test(generation)) {
    throw new SettingsError(
      `context "originKeyGeneration" = "${generation}" is not a whole number of 1 or more`,
    );
  }

  const optional = {
    domainName,
    certificateArn,
    alarmEmail: matching('alarmEmail', EMAIL, 'is not an email address'),
    originShieldRegion: matching('originShieldRegion', REGION, 'is not a region code such as eu-west-2'),
    webAclArn: matching('webAclArn', WEB_ACL_ARN, 'is not the ARN of a CLOUDFRONT-scope web ACL (us-east-1)'),
    account: matching('account', /^\d{12}$/, 'is not a 12-digit account id'),
    region: matching('region', REGION, 'is not a region code such as eu-west-1'),
    // DynamoDB table names: 3–255 of letters, digits, underscore, hyphen and dot.
    tableName: matching('tableName', /^[A-Za-z0-9_.-]{3,255}$/, 'is not a DynamoDB table name'),
    tableStreamArn: matching(
      'tableStreamArn',
      /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/stream\/\S+$/,
      'is not the ARN of a DynamoDB table stream',
    ),
  };
  if (waf && optional.webAclArn !== undefined) {
    throw new SettingsError(
      'context "waf=true" and "webAclArn" exclude each other: one creates a web ACL, the other attaches yours',
    );
  }
  return {
    stackName: stackName ?? 'Newswire',
    accessLogs: flag('accessLogs'),
    logLevel: logLevel as LogLevel,
    allowExampleValues: flag('allowExampleValues'),
    waf,
    wafRateLimit: Number(wafRateLimit ?? WAF_RATE_LIMIT),
    originKeyGeneration: Number(generation ?? 1),
    ...(writeConcurrency !== undefined && { writeConcurrency: Number(writeConcurrency) }),
    ...withoutUndefined(optional),
  };
}

/** Drops undefined values so the result fits `exactOptionalPropertyTypes` optional properties. */
function withoutUndefined<T extends Record<string, string | undefined>>(
  record: T,
): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
