import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import { ORIGIN_KEY_HEADER, ORIGIN_KEYS_VARIABLE } from '../../functions/http/origin.ts';
import { FUNCTION_SPECS, type FunctionName } from '../../infra/constructs/functions.ts';
import { createNewswireApp } from '../../infra/newswire-app.ts';
import { CDK_JSON_CONTEXT, type Json } from '../infra/synth.ts';
import { sampleArticle } from '../support/articles.ts';
import { dynamoEndpoint, freshDeps } from '../support/dynamo.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { LAMBDA_NODE_MAJOR, lambdaNode } from '../support/lambda-node.ts';
import { type SqsStandIn, startSqsStandIn } from '../support/sqs.ts';
import { childOf, childrenOf, parseXml } from '../support/xml-parse.ts';

// The bundles `cdk synth` builds for deployment, each run the way Lambda's Node.js runtime
// runs it (index.mjs imported from its own directory, handler(event, context)) under the
// Node major the functions are deployed on. Lambda runs them on arm64; this machine is x64,
// so they run on the x64 build of the same major. Assertions are about HTTP behaviour only.

const CLOUDFRONT_HOST = 'd111111abcdef8.cloudfront.net';
/** The origin key CloudFront sends, and the previous generation, which the functions still accept. */
const ORIGIN_KEY = 'k9Qm2VwX7rTz4LpN8sBd3FhJ6cYe1GaU5oRi0WnKtMqPvZxS';
const PREVIOUS_ORIGIN_KEY = 'Lq3Wm8XnV2rT7zKp4NsB9dFh6JcY1eGa5UoR0iWkMtQvPzSx';
const API_HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const ATOM = 'http://www.w3.org/2005/Atom';

interface Result {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/** A request as API Gateway (payload 2.0) passes it on after CloudFront forwarded it. */
function cloudFrontEvent(
  method: string,
  rawPath: string,
  options: { headers?: Record<string, string>; query?: Record<string, string>; body?: string } = {},
): APIGatewayProxyEventV2 {
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString,
    headers: {
      host: API_HOST,
      'user-agent': 'Amazon CloudFront',
      via: '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)',
      'x-amz-cf-id': 'Tx2BnO0tf_2pw6hI5bjQJ3rXqjqtGn6DnGD0xMwUc0gx3U8bfTF3Ew==',
      'x-forwarded-for': '198.51.100.7, 130.176.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      'accept-encoding': 'gzip',
      'x-newswire-host': CLOUDFRONT_HOST,
      [ORIGIN_KEY_HEADER]: ORIGIN_KEY,
      ...options.headers,
    },
    ...(rawQueryString !== '' && { queryStringParameters: query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: API_HOST,
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '130.176.0.1',
        userAgent: 'Amazon CloudFront',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: `${method} ${rawPath}`,
      stage: '$default',
      time: '30/Nov/2026:09:30:00 +0000',
      timeEpoch: Date.parse('2026-11-30T09:30:00Z'),
    },
    // API Gateway base64-encodes bodies it does not treat as text.
    ...(options.body !== undefined && { body: Buffer.from(options.body).toString('base64') }),
    isBase64Encoded: options.body !== undefined,
  };
}

/**
 * A reply as the client reads it: API Gateway turns a base64 body back into bytes, and the
 * client decompresses them by Content-Encoding (CloudFront forwards `Accept-Encoding: gzip`).
 */
function decoded(result: Result): Result {
  if (!result.isBase64Encoded) return result;
  const bytes = Buffer.from(result.body, 'base64');
  const coding = result.headers['content-encoding'];
  const body = coding === 'gzip' ? gunzipSync(bytes) : coding === 'br' ? brotliDecompressSync(bytes) : bytes;
  return { ...result, body: coding === undefined ? result.body : body.toString('utf8') };
}

/** One bundled function running under the Lambda Node binary, invoked over stdin/stdout. */
class BundledFunction {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (reply: { result?: Result; error?: string }) => void>();
  private next = 0;
  stderr = '';

  constructor(name: string, taskRoot: string, environment: Record<string, string>) {
    this.child = spawn(lambdaNode(), [join(import.meta.dirname, '..', 'support', 'lambda-harness.mjs')], {
      cwd: taskRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: 'index.handler',
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
        AWS_SECRET_ACCESS_KEY: 'local',
        TZ: ':UTC',
        ...environment,
      },
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const reply = JSON.parse(line) as { id: number; result?: Result; error?: string };
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  /** Invokes the handler; rejects if it threw (Lambda would report a function error). */
  async invoke(event: APIGatewayProxyEventV2 | Json): Promise<Result> {
    const id = this.next++;
    const reply = await new Promise<{ result?: Result; error?: string }>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.once('exit', (code) => reject(new Error(`exited with ${code}: ${this.stderr}`)));
      this.child.stdin.write(`${JSON.stringify({ id, event })}\n`);
    });
    if (reply.error !== undefined) throw new Error(`handler threw: ${reply.error}`);
    return decoded(reply.result!);
  }

  stop(): void {
    this.child.kill();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`bundles from cdk synth, run as Lambda runs them (Node ${LAMBDA_NODE_MAJOR}, x64)`, () => {
  const outdir = mkdtempSync(join(tmpdir(), 'newswire-bundles-'));
  const running: BundledFunction[] = [];
  const fns = {} as Record<FunctionName, BundledFunction>;
  let unreachable: Record<'articles' | 'feeds' | 'pages', BundledFunction>;
  let hub: TestHub;
  let sqs: SqsStandIn;
  let token = '';
  const taskRoots = {} as Record<FunctionName, string>;

  before(async () => {
    // As the CLI synthesizes: asset metadata names each function's bundle directory.
    createNewswireApp({
      outdir,
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:enable-asset-metadata': true },
    }).app.synth();
    const template = JSON.parse(readFileSync(join(outdir, 'Newswire.template.json'), 'utf8')) as {
      Resources: Record<string, Json>;
    };
    const deps = await freshDeps();
    const key = issueApiKey('bundle-test', new Date());
    await deps.store.putApiKey(key.record);
    token = key.token;
    hub = await startTestHub();
    sqs = await startSqsStandIn();
    const environments = {} as Record<FunctionName, Record<string, string>>;
    for (const spec of FUNCTION_SPECS) {
      const [fn] = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === spec.description,
      );
      assert.ok(fn, spec.name);
      assert.equal(fn.Properties.Runtime, `nodejs${LAMBDA_NODE_MAJOR}.x`);
      assert.equal(fn.Properties.Handler, 'index.handler');
      taskRoots[spec.name] = join(outdir, fn.Metadata!['aws:asset:path']!);
      // The deployed environment, with the table the stack would Ref replaced by this test's, and the origin
      // keys CloudFormation would resolve from Secrets Manager by two of this test's.
      const {
        TABLE_NAME: _,
        [ORIGIN_KEYS_VARIABLE]: keys,
        ...deployed
      } = fn.Properties.Environment.Variables as Record<string, string>;
      assert.equal(keys === undefined, spec.name === 'notify', `${spec.name}: origin keys`);
      environments[spec.name] = {
        ...deployed,
        TABLE_NAME: deps.tableName,
        ...(keys !== undefined && { [ORIGIN_KEYS_VARIABLE]: `${ORIGIN_KEY},${PREVIOUS_ORIGIN_KEY}` }),
      };
      if (spec.name === 'notify') {
        // The stack names the distribution's domain and the queue (tokens here); the hub and SQS are stand-ins.
        environments.notify = {
          ...environments.notify,
          NEWSWIRE_BASE_URL: `https://${CLOUDFRONT_HOST}`,
          NEWSWIRE_HUB_URL: hub.url,
          NEWSWIRE_PING_QUEUE_URL: `${sqs.url}/123456789012/pings.fifo`,
          AWS_ENDPOINT_URL_SQS: sqs.url,
        };
      }
    }
    for (const spec of FUNCTION_SPECS) {
      const fn = new BundledFunction(spec.name, taskRoots[spec.name], {
        ...environments[spec.name],
        DYNAMODB_ENDPOINT: dynamoEndpoint(),
      });
      fns[spec.name] = fn;
      running.push(fn);
    }
    const dead = `http://127.0.0.1:${await closedPort()}`;
    unreachable = Object.fromEntries(
      FUNCTION_SPECS.filter((spec) => spec.name !== 'notify').map((spec) => {
        const fn = new BundledFunction(spec.name, taskRoots[spec.name], {
          ...environments[spec.name],
          DYNAMODB_ENDPOINT: dead,
        });
        running.push(fn);
        return [spec.name, fn];
      }),
    ) as typeof unreachable;
  });

  after(async () => {
    for (const fn of running) fn.stop();
    await hub?.close();
    await sqs?.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  const put = (id: string, article: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fns.articles.invoke(
      cloudFrontEvent('PUT', `/api/articles/${id}`, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(article),
      }),
    );

  it('deploys the HTTP functions without a base URL: the address comes from CloudFront per request', () => {
    const template = JSON.parse(readFileSync(join(outdir, 'Newswire.template.json'), 'utf8')) as {
      Resources: Record<string, Json>;
    };
    const withBaseUrl = Object.values(template.Resources)
      .filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment.Variables.NEWSWIRE_BASE_URL,
      )
      .map((r) => r.Properties.Description as string);
    assert.deepEqual(withBaseUrl, [FUNCTION_SPECS.find((s) => s.name === 'notify')!.description]);
  });

  it('notify queues a stream batch’s changed feed on SQS, then pings it in every format when the queue hands it back', async () => {
    await put('bundle-notified', sampleArticle({ publishedAt: '2026-11-27T09:30:00Z' }));
    const result = await fns.notify.invoke({
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '1',
            ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
            Keys: { pk: { S: 'FEED#europe#world' }, sk: { S: '2026-11-27T09:30:00.000Z#bundle-notified' } },
          },
        },
      ],
    });
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.deepEqual(hub.pings, [], 'nothing is pinged before the queue’s delay');
    const [sent, ...others] = sqs.messages;
    assert.equal(others.length, 0);
    assert.deepEqual(JSON.parse(sent!.MessageBody), {
      feed: 'europe/world',
      changes: ['bundle-notified@v1'],
    });
    assert.match(sent!.MessageDeduplicationId, /^[0-9a-f]{64}$/);
    assert.match(sent!.MessageGroupId, /^[0-9a-f]{32}$/);
    const pinged = await fns.notify.invoke({
      Records: [{ messageId: 'm1', receiptHandle: 'r1', body: sent!.MessageBody, eventSource: 'aws:sqs' }],
    });
    assert.deepEqual(pinged, { batchItemFailures: [] });
    assert.deepEqual(
      hub.accepted().sort(),
      ['atom.xml', 'feed.json', 'rss.xml'].map((f) => `https://${CLOUDFRONT_HOST}/europe/world/${f}`),
    );
  });

  it('accepts a base64-encoded JSON write with a bearer key (201, ETag, JSON)', async () => {
    const created = await put('bundle-summit', sampleArticle());
    assert.equal(created.statusCode, 201, created.body);
    assert.match(created.headers['content-type'] ?? '', /^application\/json/);
    assert.match(created.headers.etag ?? '', /^"[^"]+"$/);
    assert.equal((JSON.parse(created.body) as { id: string }).id, 'bundle-summit');

    const unauthorised = await fns.articles.invoke(
      cloudFrontEvent('PUT', '/api/articles/bundle-x', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sampleArticle()),
      }),
    );
    assert.equal(unauthorised.statusCode, 401);
    assert.match(unauthorised.headers['content-type'] ?? '', /^application\/problem\+json/);
  });

  it('serves an RSS feed that parses, linking to the CloudFront address (self link, logo)', async () => {
    const feed = await fns.feeds.invoke(cloudFrontEvent('GET', '/europe/rss.xml'));
    assert.equal(feed.statusCode, 200, feed.body);
    assert.equal(feed.headers['content-type'], 'application/rss+xml; charset=utf-8');
    assert.equal(
      feed.headers['content-encoding'],
      'gzip',
      'compressed as the forwarded Accept-Encoding asks',
    );
    assert.equal(feed.isBase64Encoded, true);
    assert.match(feed.headers['cache-control'] ?? '', /max-age=\d+/);
    assert.ok(feed.headers['last-modified']);
    const channel = childOf(parseXml(feed.body), '', 'channel');
    const self = childrenOf(channel, ATOM, 'link').find((l) => l.attributes.rel === 'self');
    assert.equal(self?.attributes.href, `https://${CLOUDFRONT_HOST}/europe/rss.xml`);
    const logo = childOf(childOf(channel, '', 'image'), '', 'url').text;
    assert.ok(logo.startsWith(`https://${CLOUDFRONT_HOST}/assets/`), logo);
    assert.ok(feed.body.includes('bundle-summit'));
  });

  it('serves a subscriber’s private copy through its own function, with the token checked in the bundle', async () => {
    const made = await fns.articles.invoke(
      cloudFrontEvent('POST', '/api/subscribers', {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bundle reader' }),
      }),
    );
    assert.equal(made.statusCode, 201, made.body);
    const subscriber = (JSON.parse(made.body) as { token: string }).token;
    const feed = await fns.private.invoke(cloudFrontEvent('GET', `/private/${subscriber}/europe/rss.xml`));
    assert.equal(feed.statusCode, 200, feed.body);
    assert.equal(feed.headers['cache-control'], 'private, no-cache');
    assert.equal(feed.headers['x-robots-tag'], 'noindex');
    assert.ok(feed.body.includes(`https://${CLOUDFRONT_HOST}/private/${subscriber}/europe/rss.xml`));
    const unknown = await fns.private.invoke(
      cloudFrontEvent('GET', `/private/ns_${'0'.repeat(16)}_${'A'.repeat(43)}/europe/rss.xml`),
    );
    assert.equal(unknown.statusCode, 404);
  });

  it('answers a conditional GET with 304 and HEAD with headers only', async () => {
    const feed = await fns.feeds.invoke(cloudFrontEvent('GET', '/europe/atom.xml'));
    assert.equal(feed.statusCode, 200);
    const etag = feed.headers.etag;
    assert.ok(etag);
    const notModified = await fns.feeds.invoke(
      cloudFrontEvent('GET', '/europe/atom.xml', { headers: { 'if-none-match': etag } }),
    );
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');
    const head = await fns.feeds.invoke(cloudFrontEvent('HEAD', '/europe/atom.xml'));
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.etag, etag);
    assert.equal(head.headers['content-type'], 'application/atom+xml; charset=utf-8');
  });

  it('serves JSON Feed with the CloudFront feed_url', async () => {
    const feed = await fns.feeds.invoke(cloudFrontEvent('GET', '/europe/feed.json'));
    assert.equal(feed.statusCode, 200);
    assert.equal(feed.headers['content-type'], 'application/feed+json; charset=utf-8');
    const json = JSON.parse(feed.body) as { feed_url: string; items: unknown[] };
    assert.equal(json.feed_url, `https://${CLOUDFRONT_HOST}/europe/feed.json`);
    assert.ok(json.items.length >= 1);
  });

  it('serves pages, OPML and redirects on the CloudFront address', async () => {
    const home = await fns.pages.invoke(
      cloudFrontEvent('GET', '/', { headers: { 'cloudfront-viewer-country': 'DE' } }),
    );
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
    assert.ok(home.body.includes(`<link rel="canonical" href="https://${CLOUDFRONT_HOST}/">`));
    assert.ok(!home.body.includes('https://news.example.com/europe/'), 'no page link to the example domain');

    const opml = await fns.pages.invoke(cloudFrontEvent('GET', '/opml.xml'));
    assert.equal(opml.statusCode, 200);
    assert.match(opml.headers['content-type'] ?? '', /^text\/x-opml/);
    const urls = [...opml.body.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(urls.length > 0);
    for (const url of urls) assert.ok(url.startsWith(`https://${CLOUDFRONT_HOST}/`), url);
    parseXml(opml.body);

    const redirect = await fns.pages.invoke(cloudFrontEvent('GET', '/europe'));
    assert.equal(redirect.statusCode, 301);
    assert.equal(redirect.headers.location, `https://${CLOUDFRONT_HOST}/europe/`);
  });

  it('serves the site’s static files from beside its bundle: the repository’s bytes, no picture drawn', async () => {
    for (const [path, file, type] of [
      ['/assets/logo.png', 'logo.png', 'image/png'],
      ['/assets/icon.png', 'icon.png', 'image/png'],
      ['/assets/icon-512.png', 'icon-512.png', 'image/png'],
      ['/assets/logo-wide.png', 'logo-wide.png', 'image/png'],
      ['/assets/cover.png', 'cover.png', 'image/png'],
      ['/favicon.ico', 'favicon.ico', 'image/x-icon'],
      ['/assets/site.css', 'site.css', 'text/css; charset=utf-8'],
      ['/assets/site.js', 'site.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const response = await fns.pages.invoke(cloudFrontEvent('GET', path));
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.headers['content-type'], type, path);
      assert.equal(response.isBase64Encoded, true, path);
      const shipped = readFileSync(new URL(`../../functions/static/${file}`, import.meta.url));
      assert.deepEqual(Buffer.from(response.body, 'base64'), shipped, path);
    }
  });

  it('serves a story’s page, and sitemaps, on the CloudFront address', async () => {
    const published = await put('bundled-story', {
      ...sampleArticle({ editions: ['europe'] }),
      publishedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    assert.equal(published.statusCode, 201, published.body);
    const story = await fns.pages.invoke(cloudFrontEvent('GET', '/europe/world/bundled-story/'));
    assert.equal(story.statusCode, 200, story.body);
    assert.match(story.body, /<script type="application\/ld\+json">/);
    const news = await fns.pages.invoke(cloudFrontEvent('GET', '/europe/news-sitemap.xml'));
    assert.equal(news.statusCode, 200);
    assert.ok(
      news.body.includes(`<loc>https://${CLOUDFRONT_HOST}/europe/world/bundled-story/</loc>`),
      news.body,
    );
    const robots = await fns.pages.invoke(cloudFrontEvent('GET', '/robots.txt'));
    assert.match(
      robots.body,
      new RegExp(`Sitemap: https://${CLOUDFRONT_HOST.replaceAll('.', '\\.')}/sitemap\\.xml`),
    );
  });

  it('refuses every request without CloudFront’s origin key, before reading anything: links cannot be steered', async () => {
    const direct = (event: APIGatewayProxyEventV2, key: string | undefined) => {
      if (key === undefined) delete event.headers[ORIGIN_KEY_HEADER];
      else event.headers[ORIGIN_KEY_HEADER] = key;
      event.headers['x-newswire-host'] = 'evil.example';
      return event;
    };
    const requests = () =>
      [
        [fns.feeds, cloudFrontEvent('GET', '/europe/rss.xml')],
        [fns.pages, cloudFrontEvent('GET', '/europe/')],
        [
          fns.articles,
          cloudFrontEvent('PUT', '/api/articles/bundle-direct', {
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(sampleArticle()),
          }),
        ],
      ] as const;
    for (const key of [undefined, 'a-guess', `${ORIGIN_KEY}x`, '']) {
      for (const [fn, event] of requests()) {
        const refused = await fn.invoke(direct(event, key));
        assert.equal(refused.statusCode, 403, `${event.rawPath} with key ${String(key)}`);
        assert.match(refused.headers['content-type'] ?? '', /^application\/problem\+json/);
        assert.ok(!refused.body.includes('evil.example'));
      }
    }
    // Even when the store is unreachable: the refusal reads nothing.
    const refused = await unreachable.feeds.invoke(
      direct(cloudFrontEvent('GET', '/europe/rss.xml'), undefined),
    );
    assert.equal(refused.statusCode, 403);
    const stored = await fns.articles.invoke(
      cloudFrontEvent('GET', '/api/articles/bundle-direct', {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    assert.equal(stored.statusCode, 404, 'the refused write stored nothing');
    // The previous generation still opens the door while a rotation propagates through CloudFront.
    for (const [fn, event] of requests().slice(0, 2)) {
      assert.equal((await fn.invoke(direct(event, PREVIOUS_ORIGIN_KEY))).statusCode, 200, event.rawPath);
    }
  });

  it('falls back to baseUrl of newswire.config.ts without a valid viewer host (direct API calls)', async () => {
    for (const host of [undefined, 'evil.example/path', 'd111.cloudfront.net:8443', 'user@host.example']) {
      const event = cloudFrontEvent('GET', '/europe/rss.xml');
      if (host === undefined) delete event.headers['x-newswire-host'];
      else event.headers['x-newswire-host'] = host;
      const feed = await fns.feeds.invoke(event);
      assert.equal(feed.statusCode, 200);
      assert.ok(feed.body.includes('href="https://news.example.com/europe/rss.xml"'), String(host));
    }
  });

  it('answers 503 with Retry-After when DynamoDB is unreachable, for reads and writes', async () => {
    const responses = [
      await unreachable.feeds.invoke(cloudFrontEvent('GET', '/europe/rss.xml')),
      await unreachable.pages.invoke(cloudFrontEvent('GET', '/europe/')),
      await unreachable.articles.invoke(
        cloudFrontEvent('PUT', '/api/articles/bundle-down', {
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(sampleArticle()),
        }),
      ),
    ];
    for (const response of responses) {
      assert.equal(response.statusCode, 503, response.body);
      assert.match(response.headers['retry-after'] ?? '', /^\d+$/);
      assert.ok(!response.body.includes('    at '), 'no stack trace');
    }
  });
});
