/**
 * Subscriber counts on the local server: a scripted set of feed requests
 * with chosen User-Agents, from several loopback addresses (127.0.0.0/8 is
 * all this machine's), counted from the server's own requests; then
 * `GET /api/stats` and `newswire stats` show what they must.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { SubscriberReport } from '../../functions/core/subscribers.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { recordAsRunning, startTestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const bin = new URL('../../local/bin.js', import.meta.url).pathname;

let newswire: LocalNewswire;
let dataDir: string;

/** A GET from a given loopback address with a given User-Agent; resolves to the status and ETag. */
function fetchFrom(
  address: string,
  path: string,
  userAgent: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; etag?: string }> {
  const url = new URL(path, newswire.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        localAddress: address,
        headers: { 'user-agent': userAgent, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(res.headers.etag !== undefined && { etag: res.headers.etag }),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const NNW = 'NetNewsWire (RSS Reader; https://netnewswire.com/)';
const feedly = (n: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`;

before(async () => {
  newswire = await startTestServer();
  dataDir = recordAsRunning(newswire, 'newswire-stats-');
  const first = await fetchFrom('127.0.0.2', '/europe/rss.xml', NNW);
  assert.equal(first.status, 200);
  const again = await fetchFrom('127.0.0.2', '/europe/rss.xml', NNW, { 'if-none-match': first.etag ?? '' });
  assert.equal(again.status, 304, 'a revalidation counts as a fetch too');
  const scripted: [string, string, string, number][] = [
    ['127.0.0.3', '/europe/rss.xml', NNW, 200],
    ['127.0.0.4', '/europe/atom.xml', 'Newsboat/2.21 (Linux x86_64)', 200],
    ['127.0.0.5', '/europe/rss.xml', feedly(462), 200],
    ['127.0.0.6', '/europe/rss.xml', feedly(470), 200],
    ['127.0.0.7', '/europe/rss.xml', 'Feedbin feed-id:1697787 - 102 subscribers', 200],
    ['127.0.0.7', '/europe/rss.xml', 'Feedbin feed-id:1697788 - 5 subscribers', 200],
    [
      '127.0.0.8',
      '/europe/rss.xml',
      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      200,
    ],
    [
      '127.0.0.9',
      '/europe/rss.xml',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      200,
    ],
    ['127.0.0.10', '/europe/world/feed.json', 'curl/8.5.0', 200],
    ['127.0.0.11', '/europe/world/feed.json', 'SpaceCowboys Android RSS Reader / 2.6.24(315)', 200],
    ['127.0.0.12', '/nowhere/rss.xml', NNW, 404],
    ['127.0.0.12', '/europe/', NNW, 200],
  ];
  for (const [address, path, userAgent, status] of scripted) {
    assert.equal((await fetchFrom(address, path, userAgent)).status, status, `${userAgent} ${path}`);
  }
  await newswire.flushStats();
});
after(() => newswire?.stop());

async function stats(query = '', key: string | null = newswire.apiKey) {
  return fetch(`${newswire.url}/api/stats${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}

describe('GET /api/stats', () => {
  test('needs an API key', async () => {
    assert.equal((await stats('', null)).status, 401);
  });

  test("today's estimates from the server's own requests", async () => {
    const response = await stats('?days=7');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
    const report = (await response.json()) as SubscriberReport;
    const europe = report.feeds.find((f) => f.feed === 'europe');
    // rss: Feedly 470 (largest of 462, 470) + Feedbin 102 + 5 (two feed ids) + NetNewsWire from two addresses;
    // atom: Newsboat. The browser and the crawler count for nothing.
    assert.deepEqual(europe?.days.at(-1), {
      date: report.to,
      subscribers: 580,
      rss: 579,
      atom: 1,
      json: 0,
    });
    assert.equal(europe?.days.length, 7);
    assert.deepEqual(europe?.readers, [
      { name: 'Feedly', kind: 'hosted', subscribers: 470 },
      { name: 'Feedbin', kind: 'hosted', subscribers: 107 },
      { name: 'NetNewsWire', kind: 'reader', subscribers: 2 },
      { name: 'Newsboat', kind: 'reader', subscribers: 1 },
    ]);
    assert.equal(report.feeds.find((f) => f.feed === 'europe/world')?.days.at(-1)?.json, 1);
    assert.deepEqual(report.notCounted.map((f) => [f.kind, f.family, f.clients.at(-1)]).sort(), [
      ['browser', 'Firefox', 1],
      ['crawler', 'Googlebot', 1],
      ['unknown', 'curl', 1],
    ]);
    assert.deepEqual(report.editions.find((e) => e.edition === 'europe')?.subscribers.at(-1), 581);
  });

  test('one feed, and bad queries refused naming each problem', async () => {
    const one = (await (await stats('?feed=europe/world&days=1')).json()) as SubscriberReport;
    assert.deepEqual(
      one.feeds.map((f) => f.feed),
      ['europe/world'],
    );
    const bad = await stats('?days=0&feed=nowhere/at-all');
    assert.equal(bad.status, 400);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['days', 'feed'],
    );
  });
});

describe('newswire stats', () => {
  function cli(args: string[]) {
    const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, ...inherited } = process.env;
    return run(process.execPath, [bin, 'stats', ...args], {
      env: { ...inherited, NEWSWIRE_DATA_DIR: dataDir },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  }

  test('shows each feed with today, a sparkline, the formats and the top readers', async () => {
    const { code, stdout } = await cli(['--days', '7']);
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    const europe = lines.find((l) => l.startsWith('europe '));
    assert.match(
      europe ?? '',
      /^europe\s+580\s+······█\s+580\s+579\s+1\s+0\s+Feedly 470, Feedbin 107, NetNewsWire 2$/,
    );
    assert.ok(
      lines.indexOf(europe!) < lines.findIndex((l) => l.startsWith('europe/world ')),
      'most followed first',
    );
    assert.match(stdout, /Subscriptions today by edition: europe 581/);
    assert.match(stdout, /crawlers: Googlebot 1/);
    assert.match(stdout, /browsers: Firefox 1/);
    const byName = (await cli(['--sort', 'feed', '--days', '3'])).stdout.split('\n');
    assert.ok(
      byName.findIndex((l) => l.startsWith('europe ')) <
        byName.findIndex((l) => l.startsWith('europe/world ')),
    );
  });

  test('explains itself, and refuses bad options in one line with exit code 2', async () => {
    assert.match((await cli(['--help'])).stdout, /^Usage: newswire stats/);
    for (const args of [['--days', '500'], ['--sort', 'size'], ['--colour']]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /^newswire: /);
    }
  });
});
