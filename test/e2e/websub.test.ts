/**
 * WebSub through the stream path: the local runtime with a hub configured,
 * DynamoDB Local's stream polled as Lambda polls it, the notify handler, and
 * a local listener standing in for the hub.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type LocalNewswire, startNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

/** The feed folders of sampleArticle(): its editions (and International), by section, its writer and topics. */
const FOLDERS = [
  'international',
  'international/world',
  'asia',
  'asia/world',
  'europe',
  'europe/world',
  'authors/ana-ortiz',
  'topics/shipping',
  'topics/diplomacy',
];
const FILES = ['rss.xml', 'atom.xml', 'feed.json'];
/** How long to keep listening after the expected pings, to catch any extra one (a sweep runs every second). */
const SETTLE_MS = 2500;
/** How long the local queue holds a ping (in the cloud: 33 s, for CloudFront's copies to expire). */
const PING_DELAY_MS = 1500;

let hub: TestHub;
let newswire: LocalNewswire;
const lines: string[] = [];

function urlsOf(folders: readonly string[]): string[] {
  return folders.flatMap((folder) => FILES.map((file) => `${newswire.url}/${folder}/${file}`)).sort();
}

async function put(path: string, body: unknown, method = 'PUT'): Promise<Response> {
  return fetch(`${newswire.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${newswire.apiKey}`, 'content-type': 'application/json' },
    ...(method === 'PUT' && { body: JSON.stringify(body) }),
  });
}

const minuteAgo = () => new Date(Date.now() - 60_000).toISOString();

/** Waits for every expected topic to be accepted, then a little longer, and checks each came exactly once. */
async function expectEachOnce(expected: string[]): Promise<void> {
  await hub.until(() => expected.every((url) => hub.accepted().includes(url)));
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  assert.deepEqual(hub.accepted().sort(), expected, 'one accepted ping per changed feed URL, and no other');
  for (const ping of hub.pings) {
    assert.equal(ping.mode, 'publish');
    assert.equal(ping.contentType, 'application/x-www-form-urlencoded');
  }
}

before(async () => {
  hub = await startTestHub();
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  newswire = await startNewswire({
    port: 0,
    inMemory: true,
    seed: false,
    tableName: `websub-${randomUUID()}`,
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
    hubUrl: hub.url,
    pingDelayMs: PING_DELAY_MS,
    streamPollMs: 100,
    sweepIntervalMs: 1000,
    hubTimeoutMs: 3000,
    notifyRetryDelayMs: 200,
    log: (line) => lines.push(line),
  });
});

after(async () => {
  await newswire?.stop();
  await hub?.close();
});

describe('WebSub pings from the table stream', () => {
  test('feeds name the hub and themselves in Link headers, on 200 and 304 alike', async () => {
    assert.equal(
      (await put('/api/articles/linked', sampleArticle({ publishedAt: minuteAgo() }))).status,
      201,
    );
    const response = await fetch(`${newswire.url}/europe/rss.xml`);
    const expected = `<${hub.url}>; rel="hub", <${newswire.url}/europe/rss.xml>; rel="self"`;
    assert.equal(response.headers.get('link'), expected);
    assert.match(await response.text(), new RegExp(`<atom:link href="${hub.url}" rel="hub"/>`));
    const revalidated = await fetch(`${newswire.url}/europe/rss.xml`, {
      headers: { 'if-none-match': response.headers.get('etag') ?? '' },
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get('link'), expected);
    const json = await fetch(`${newswire.url}/authors/ana-ortiz/feed.json`);
    assert.equal(
      json.headers.get('link'),
      `<${hub.url}>; rel="hub", <${newswire.url}/authors/ana-ortiz/feed.json>; rel="self"`,
    );
    assert.deepEqual(((await json.json()) as { hubs: unknown }).hubs, [{ type: 'WebSub', url: hub.url }]);
    await expectEachOnce(urlsOf(FOLDERS));
  });

  test('a publish, a Top Stories change, an update and a withdrawal each ping every feed they changed, once', async () => {
    hub.reset('accept');
    assert.equal((await put('/api/articles/story', sampleArticle({ publishedAt: minuteAgo() }))).status, 201);
    await expectEachOnce(urlsOf(FOLDERS));

    hub.reset('accept');
    const top = await put('/api/editions/europe/top-stories', { articles: ['story'] });
    assert.equal(top.status, 201);
    await expectEachOnce(urlsOf(['europe/top']));

    // An update rewrites every entry; the article change also changes the Top Stories naming it.
    hub.reset('accept');
    const updated = await put(
      '/api/articles/story',
      sampleArticle({ headline: 'Updated', publishedAt: minuteAgo() }),
    );
    assert.equal(updated.status, 200);
    await expectEachOnce(urlsOf([...FOLDERS, 'europe/top']));

    hub.reset('accept');
    assert.equal((await put('/api/articles/story', undefined, 'DELETE')).status, 200);
    await expectEachOnce(urlsOf([...FOLDERS, 'europe/top']));
  });

  test('a story published now is pinged once, after the queue’s delay: not again by the sweep', async () => {
    hub.reset('accept');
    const written = Date.now();
    // No publishedAt: published at the moment of the write, inside the window the next sweeps cover.
    const { publishedAt: _, ...now } = sampleArticle();
    assert.equal((await put('/api/articles/published-now', now)).status, 201);
    await expectEachOnce(urlsOf(FOLDERS));
    assert.ok(
      hub.pings.every((ping) => ping.at >= written + PING_DELAY_MS),
      'nothing is sent while the ping waits in the queue',
    );
  });

  test('a Top Stories list that only names a scheduled story pings nothing until the story is due', async () => {
    hub.reset('accept');
    const due = new Date(Date.now() + 4000);
    assert.equal(
      (await put('/api/articles/embargoed', sampleArticle({ publishedAt: due.toISOString() }))).status,
      201,
    );
    assert.equal((await put('/api/editions/americas/top-stories', { articles: ['embargoed'] })).status, 201);
    // Edits of the embargoed story change nothing public either.
    assert.equal(
      (
        await put(
          '/api/articles/embargoed',
          sampleArticle({ headline: 'Still embargoed', publishedAt: due.toISOString() }),
        )
      ).status,
      200,
    );
    await expectEachOnce(urlsOf([...FOLDERS, 'americas/top']));
    assert.ok(
      hub.pings.every((ping) => ping.at >= due.getTime()),
      'no ping before the story was due: neither the list nor the edits changed anything public',
    );
  });

  test('a scheduled story pings nothing when written, and every feed it joins once it falls due', async () => {
    hub.reset('accept');
    const due = new Date(Date.now() + 3000);
    const response = await put('/api/articles/later', sampleArticle({ publishedAt: due.toISOString() }));
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as { status: string }).status, 'scheduled');
    await expectEachOnce(urlsOf(FOLDERS));
    assert.ok(
      hub.pings.every((ping) => ping.at >= due.getTime()),
      'no ping before the story was due: the write itself changed no feed',
    );
  });

  test('a hub that answers 500: the write succeeds, and each failed ping is retried until accepted', async () => {
    hub.reset('fail-first');
    const response = await put('/api/articles/retried', sampleArticle({ publishedAt: minuteAgo() }));
    assert.equal(response.status, 201);
    const expected = urlsOf(FOLDERS);
    await expectEachOnce(expected);
    for (const url of expected) {
      const answers = hub.pings.filter((p) => p.topics.includes(url)).map((p) => p.answer);
      assert.equal(answers[0], 500, url);
      assert.equal(answers.at(-1), 204, url);
    }
  });

  test('a hub that hangs: writes complete while it holds a ping, and the ping is retried', async () => {
    hub.reset('hang-first');
    assert.equal((await put('/api/articles/held', sampleArticle({ publishedAt: minuteAgo() }))).status, 201);
    await hub.until(() => hub.hanging > 0);
    const second = await put('/api/articles/held-2', sampleArticle({ publishedAt: minuteAgo() }));
    const writtenAt = Date.now();
    assert.equal(second.status, 201);
    const hung = hub.pings.filter((p) => p.answer === 'hung');
    assert.ok(
      hung.some((p) => p.closedAt === undefined || p.closedAt > writtenAt),
      'the second write was answered while the hub was still holding a ping',
    );
    const expected = urlsOf(FOLDERS);
    await hub.until(() => expected.every((url) => hub.accepted().includes(url)));
    for (const ping of hung) {
      assert.ok(
        ping.topics.every((url) => hub.accepted().includes(url)),
        'every hung ping was retried',
      );
    }
  });

  test('pings that keep failing are given up after the retries and logged, as the dead-letter queue', async () => {
    hub.reset('fail');
    assert.equal((await put('/api/articles/lost', sampleArticle({ publishedAt: minuteAgo() }))).status, 201);
    const deadline = Date.now() + 30_000;
    while (!lines.some((line) => /^Gave up on a queued ping \(.*"feed":.*\) after 5 attempts/.test(line))) {
      assert.ok(Date.now() < deadline, `no dead-letter line:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    hub.reset('accept');
  });
});
