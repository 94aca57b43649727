/**
 * The cost model: dollars per million feed requests reaching CloudFront,
 * line by line as the AWS bill shows them, for three stated traffic
 * profiles, from the benchmark's own figures — compressed page sizes, read
 * units computed by DynamoDB's rules, the feeds handler's CPU time — and list
 * prices, each with its source.
 *
 * Prices are on-demand list prices for US East (N. Virginia) and CloudFront's
 * United States, Mexico and Canada edge region, looked up on 6 December 2026,
 * without free tiers or discounts.
 */

/** One price: what it charges for, per what, and where it is published. */
export interface Price {
  dollars: number;
  per: string;
  source: string;
}

/** The prices the model uses. */
export const PRICES = {
  cloudFrontHttpsRequest: {
    dollars: 0.01 / 10_000,
    per: 'HTTPS request ($0.0100 per 10,000, United States)',
    source: 'https://aws.amazon.com/cloudfront/pricing/',
  },
  cloudFrontTransferGB: {
    dollars: 0.085,
    per: 'GB out to the internet (first 10 TB a month, United States and Europe)',
    source: 'https://aws.amazon.com/cloudfront/pricing/',
  },
  originShieldRequest: {
    dollars: 0.0075 / 10_000,
    per: 'request to Origin Shield ($0.0075 per 10,000, a US shield region)',
    source: 'https://aws.amazon.com/cloudfront/pricing/',
  },
  apiGatewayRequest: {
    dollars: 1 / 1e6,
    per: 'HTTP API request ($1.00 per million, first 300 million; metered in 512 KB increments)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  lambdaRequest: {
    dollars: 0.2 / 1e6,
    per: 'Lambda request ($0.20 per million)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaGBSecond: {
    dollars: 0.0000133334,
    per: 'GB-second of Lambda on arm64 (first 7.5 billion a month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  dynamoReadRequestUnit: {
    dollars: 0.125 / 1e6,
    per: 'DynamoDB on-demand read request unit ($0.125 per million)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
} as const satisfies Record<string, Price>;

/** A traffic profile: how requests split between CloudFront, the origin's 304s and full pages. */
export interface TrafficProfile {
  name: string;
  /** Share of requests CloudFront answers from its caches (edge, regional, Origin Shield). */
  hitRatio: number;
  /** Share of the requests reaching the functions that are revalidations answered 304 (one Query, no render). */
  originNotModified: number;
  /** Share of the answers to readers that carry the whole page; the rest are 304s to readers' own validators. */
  fullPages: number;
  why: string;
}

/** The three profiles the docs quote. */
export const PROFILES: readonly TrafficProfile[] = [
  {
    name: 'busy site, hot feeds',
    hitRatio: 0.9,
    originNotModified: 0.8,
    fullPages: 0.8,
    why: 'feeds asked for many times a second: CloudFront answers 9 in 10 within their 10 s lifetime, the shield revalidates the rest and most of those are unchanged; most readers poll less often than the feed changes',
  },
  {
    name: 'modest site (docs/deploy.md)',
    hitRatio: 0.3,
    originNotModified: 0.55,
    fullPages: 0.6,
    why: '5 million requests a month over 250 URLs: the month docs/deploy.md prices (30 % hits; 1.9 of its 3.5 million origin requests are 304s)',
  },
  {
    name: 'long tail, no validators',
    hitRatio: 0.1,
    originNotModified: 0,
    fullPages: 1,
    why: 'the worst case: rarely read feeds and fetchers that send no If-None-Match, so every origin request renders and every answer is a whole page',
  },
];

/** What the model needs from the benchmark. */
export interface MeasuredInputs {
  /** Bytes of a full answer as readers receive it (compressed body and headers), by format. */
  fullResponseBytes: Record<string, number>;
  /** Bytes of a 304 answer (headers). */
  notModifiedBytes: number;
  /** Read request units of a miss and of a revalidation, computed by DynamoDB's rules. */
  missReadUnits: number;
  revalidationReadUnits: number;
  /** The feeds handler's CPU milliseconds (median) for a 200 and a 304. */
  renderCpuMs: number;
  notModifiedCpuMs: number;
  /** Bytes the function returns for a 200, as API Gateway meters them. */
  originResponseBytes: number;
}

/** Model assumptions that are not measured here. */
export const ASSUMPTIONS = {
  /** The feeds function's memory, and its share of a vCPU (Lambda gives one vCPU at 1,769 MB). */
  memoryGB: 0.5,
  cpuShare: 512 / 1769,
  /** Time waiting for DynamoDB, per call (DynamoDB answers in single-digit milliseconds). */
  dynamoWaitMs: 8,
} as const;

/** One profile's cost per million requests, line by line. */
export interface ProfileCost {
  profile: TrafficProfile;
  lines: { name: string; usage: string; dollars: number }[];
  total: number;
}

/** Dollars per million feed requests reaching CloudFront for `profile`. */
export function costPerMillion(profile: TrafficProfile, m: MeasuredInputs): ProfileCost {
  const requests = 1e6;
  const origin = requests * (1 - profile.hitRatio);
  const renders = origin * (1 - profile.originNotModified);
  const notModified = origin * profile.originNotModified;
  const formats = Object.values(m.fullResponseBytes);
  const fullBytes = formats.reduce((sum, b) => sum + b, 0) / formats.length;
  const gigabytes =
    (requests * (profile.fullPages * fullBytes + (1 - profile.fullPages) * m.notModifiedBytes)) / 1e9;
  const apiRequests = renders * Math.ceil(m.originResponseBytes / (512 * 1024)) + notModified;
  const seconds =
    (renders * (m.renderCpuMs / ASSUMPTIONS.cpuShare + 2 * ASSUMPTIONS.dynamoWaitMs) +
      notModified * (m.notModifiedCpuMs / ASSUMPTIONS.cpuShare + ASSUMPTIONS.dynamoWaitMs)) /
    1000;
  const readUnits = renders * m.missReadUnits + notModified * m.revalidationReadUnits;
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const lines = [
    {
      name: 'CloudFront HTTPS requests',
      usage: `${n(requests)} requests`,
      dollars: requests * PRICES.cloudFrontHttpsRequest.dollars,
    },
    {
      name: 'CloudFront data transfer out',
      usage: `${gigabytes.toFixed(1)} GB (${Math.round(profile.fullPages * 100)} % whole pages of ${(fullBytes / 1024).toFixed(0)} KiB)`,
      dollars: gigabytes * PRICES.cloudFrontTransferGB.dollars,
    },
    {
      name: 'Origin Shield requests',
      usage: `${n(origin)} requests (at least: those reaching the functions)`,
      dollars: origin * PRICES.originShieldRequest.dollars,
    },
    {
      name: 'API Gateway HTTP API',
      usage: `${n(apiRequests)} metered requests`,
      dollars: apiRequests * PRICES.apiGatewayRequest.dollars,
    },
    {
      name: 'Lambda requests',
      usage: `${n(origin)} invocations`,
      dollars: origin * PRICES.lambdaRequest.dollars,
    },
    {
      name: 'Lambda duration (arm64, 512 MB)',
      usage: `${n(seconds * ASSUMPTIONS.memoryGB)} GB-s`,
      dollars: seconds * ASSUMPTIONS.memoryGB * PRICES.lambdaGBSecond.dollars,
    },
    {
      name: 'DynamoDB on-demand reads',
      usage: `${n(readUnits)} read request units`,
      dollars: readUnits * PRICES.dynamoReadRequestUnit.dollars,
    },
  ];
  return { profile, lines, total: lines.reduce((sum, l) => sum + l.dollars, 0) };
}
