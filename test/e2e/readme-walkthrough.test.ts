/**
 * The README's publishing walkthrough, run as written: every shell block of
 * its "Publishing" section, taken from README.md itself, pasted in order into
 * one bash session against a fresh `newswire serve`, checking what the README
 * says each step does. The only changes are where this server listens (a free
 * port instead of 3000) and its data folder (a temporary one instead of
 * .newswire/), so that the test never touches a developer's own server.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { codeBlocks, readmeSection } from '../support/readme.ts';
import { type ReadmeServer, ROOT, startReadmeServer, Terminal } from '../support/readme-session.ts';

let server: ReadmeServer;

before(async () => {
  server = await startReadmeServer('readme', { LOG_LEVEL: 'info' });
});

after(() => server.stop());

/** Feed paths written in backticks in a piece of README prose. */
function paths(prose: string): string[] {
  return [...prose.matchAll(/`(\/[^`]+)`/g)].map((m) => m[1] ?? '');
}

/** Article ids of a feed (RSS, Atom or JSON Feed), in order. */
async function feedIds(path: string): Promise<string[]> {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, path);
  return [...(await response.text()).matchAll(/:article:([A-Za-z0-9._-]+)/g)].map((m) => m[1] ?? '');
}

describe('README: publishing walkthrough, as written', () => {
  const blocks = codeBlocks(readmeSection('Publishing')).filter((b) => b.lang === 'sh');
  const find = (needle: string) => {
    const block = blocks.find((b) => b.code.includes(needle));
    assert.ok(block, `the Publishing section has a block with ${needle}`);
    return block;
  };
  let terminal: Terminal;
  before(() => {
    terminal = new Terminal(server);
  });
  after(() => terminal.close());

  test('the start-up banner names files that exist', () => {
    const named = [...server.output().matchAll(/(?:-d @|ingest |\()(examples\/[^\s)]+)/g)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(named.length >= 2, server.output());
    for (const file of named) assert.ok(existsSync(join(ROOT, file)), file);
  });

  test('the blocks run in order, each doing what the README says', async () => {
    assert.equal(blocks.length, 6, 'publish, look, withdraw, ingest, keys, reindex');

    // 1. Publish: stored as published, at the top of the feeds the README names, absent from the other.
    const publish = find('-X PUT');
    const put = await terminal.paste(server.localise(publish.code));
    assert.equal(put.status, 0, put.stderr);
    const stored = JSON.parse(put.stdout) as { id: string; status: string; version: number };
    assert.deepEqual([stored.id, stored.status, stored.version], ['my-story', 'published', 1]);
    const promise = /at the top of([\s\S]*?),\s+and not in([\s\S]*?)[.:]\n/.exec(publish.after);
    assert.ok(promise, `the README says where the story shows:\n${publish.after}`);
    const tops = paths(promise[1] ?? '');
    const absent = paths(promise[2] ?? '');
    assert.deepEqual(tops, ['/europe/rss.xml', '/europe/business/atom.xml', '/international/feed.json']);
    for (const path of tops) assert.equal((await feedIds(path))[0], 'my-story', `top of ${path}`);
    for (const path of absent) assert.ok(!(await feedIds(path)).includes('my-story'), `not in ${path}`);

    // 2. Look at the feed.
    const look = await terminal.paste(server.localise(find('grep').code));
    assert.equal(look.status, 0, look.stderr);
    // RSS titles are plain text, escaped, never CDATA (readers that take RSS titles as HTML).
    assert.match(look.stdout, /<item>\n\s*<title>Markets rally as the euro steadies<\/title>/);

    // 3. Withdraw: gone from every feed at once.
    const withdraw = await terminal.paste(server.localise(find('-X DELETE').code));
    assert.equal(withdraw.status, 0, withdraw.stderr);
    assert.equal((JSON.parse(withdraw.stdout) as { status: string }).status, 'withdrawn');
    for (const path of tops) assert.ok(!(await feedIds(path)).includes('my-story'), `withdrawn from ${path}`);

    // 4. Bulk import of the shipped examples, through the running server it finds by itself.
    const ingest = await terminal.paste(server.localise(find('newswire ingest').code));
    assert.equal(ingest.status, 0, `${ingest.stdout}${ingest.stderr}`);
    const ids = readFileSync(join(ROOT, 'examples/articles.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    assert.match(
      ingest.stdout,
      new RegExp(
        `^${ids.length} published \\(${ids.length} created, 0 updated\\), 0 unchanged, 0 rejected$`,
        'm',
      ),
    );
    assert.match(ingest.stdout, new RegExp(`^${ids.length}/${ids.length} ✓ `, 'm'));
    const international = await feedIds('/international/feed.json');
    for (const id of ids) assert.ok(international.includes(id), `${id} is in the International feed`);

    // 5. Keys: create, list, revoke by the whole key, which is never printed back.
    const keys = await terminal.paste(server.localise(find('keys create').code));
    assert.equal(keys.status, 0, keys.stderr);
    assert.match(keys.stdout, /^[0-9a-f]{16}\s+cms\s+created /m);
    assert.match(keys.stdout, /^Revoked API key [0-9a-f]{16} \("cms"\)\.$/m);
    assert.doesNotMatch(
      `${keys.stdout}${keys.stderr}`,
      /nw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/,
      'no key on screen',
    );
    assert.match(
      keys.stderr,
      /^Using table "readme-[^"]+" at http:\/\/127\.0\.0\.1:\d+ \(the local Newswire at /m,
    );
    const cmsKey = (await terminal.paste('printf %s "$CMS_KEY"')).stdout;
    const refused = await fetch(`${server.url}/api/articles/my-story`, {
      headers: { authorization: `Bearer ${cmsKey}` },
    });
    assert.equal(refused.status, 403, 'the revoked key is refused');

    // 6. Reindex: every article's entries rewritten, no orphans, the feeds unchanged.
    const before = await feedIds('/international/feed.json');
    const reindex = await terminal.paste(server.localise(find('newswire reindex').code));
    assert.equal(reindex.status, 0, `${reindex.stdout}${reindex.stderr}`);
    assert.match(
      reindex.stdout,
      /^Reindexed: \d+ items scanned, \d+ articles' entries rewritten, 0 orphan entries removed\.$/m,
    );
    assert.deepEqual(await feedIds('/international/feed.json'), before);
  });

  test('the server logged one line per request, says when it stops, and removes server.json', async () => {
    assert.match(
      server.output(),
      /^\d\d:\d\d:\d\d PUT \/api\/articles\/my-story 201 \d+ ms {2}my-story v1 published$/m,
    );
    assert.match(
      server.output(),
      /^\d\d:\d\d:\d\d DELETE \/api\/articles\/my-story 200 \d+ ms {2}my-story v2 withdrawn$/m,
    );
    await server.stop();
    assert.equal(existsSync(join(server.dataDir, 'server.json')), false);
    assert.match(server.output(), /^Stopping Newswire \(SIGTERM\)…$/m);
    assert.match(server.output(), /^Newswire stopped; its data is kept in .+ for the next "npm start"\.$/m);
  });
});
