/**
 * The documentation, run as written: every shell block of README.md and of
 * each page of docs/, taken from the files themselves and pasted in order (see
 * test/support/docs.ts for which blocks run and which are skipped, and why),
 * on a port and data folder that are not the defaults. Any command that fails
 * fails the test; beyond that, the checks below hold the pages to what they
 * say each step does.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BlockResult, DocWalk, type Expectation, waitFor } from '../support/doc-walk.ts';
import { codeBlocks, docFiles, docText, ROOT } from '../support/docs.ts';
import { readFeed } from '../support/readers.ts';

let walk: DocWalk;

before(async () => {
  walk = await DocWalk.create();
});

after(async () => {
  await walk?.stopServer();
});

/** Feed paths written in backticks in a piece of prose. */
function paths(prose: string): string[] {
  return [...prose.matchAll(/`(\/[^`]+)`/g)].map((m) => m[1] ?? '');
}

/** Article ids of a feed (RSS, Atom or JSON Feed), in order. */
async function feedIds(path: string): Promise<string[]> {
  const response = await fetch(`${walk.url()}${path}`);
  assert.equal(response.status, 200, path);
  return [...(await response.text()).matchAll(/:article:([A-Za-z0-9._-]+)/g)].map((m) => m[1] ?? '');
}

/** The ids of examples/articles.jsonl. */
function exampleIds(): string[] {
  return readFileSync(join(ROOT, 'examples/articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

/** The feeds the publishing walkthrough says its story tops, remembered for the withdrawal. */
let tops: string[] = [];
/** How many times each expectation's block was found. */
const matched = new Map<Expectation, number>();

const EXPECTATIONS: Expectation[] = [
  {
    file: 'README.md',
    block: 'npm start',
    check: ({ stdout }) => {
      // The banner names files a newcomer can use, and they exist.
      const named = [...stdout.matchAll(/(?:-d @|ingest |\()(examples\/[^\s)]+)/g)].map((m) => m[1] ?? '');
      assert.ok(named.length >= 2, stdout);
      for (const file of named) assert.ok(existsSync(join(ROOT, file)), file);
      assert.match(stdout, /^ {2}export NEWSWIRE_URL='http:\/\/127\.0\.0\.1:\d+' NEWSWIRE_API_KEY='nw_/m);
      assert.ok(stdout.includes(`Newswire is running at http://127.0.0.1:${walk.port}/`), stdout);
    },
  },
  {
    file: 'README.md',
    block: '-d @examples/article.json',
    check: async ({ stdout }) => {
      assert.match(stdout, /"status":\s*"published"/);
      assert.match(stdout, /^<title>Markets rally as the euro steadies<\/title>$/m);
      assert.match(
        stdout,
        new RegExp(`^Subscribe to http://127\\.0\\.0\\.1:${walk.port}/europe/rss\\.xml`, 'm'),
      );
      // A real feed reader shows the story, first, by its title.
      const items = await readFeed('feedparser', `${walk.url()}/europe/rss.xml`);
      assert.equal(items[0]?.title, 'Markets rally as the euro steadies', JSON.stringify(items[0]?.raw));
    },
  },
  {
    file: 'docs/api.md',
    block: '-X PUT',
    check: async ({ stdout, block }) => {
      const stored = JSON.parse(stdout) as { id: string; status: string; version: number };
      assert.deepEqual([stored.id, stored.status, stored.version], ['frankfurt-record', 'published', 1]);
      const promise = /at the top of([\s\S]*?),\s+and not in([\s\S]*?)[.:]\n/.exec(block.after);
      assert.ok(promise, `the page says where the story shows:\n${block.after}`);
      tops = paths(promise[1] ?? '');
      assert.deepEqual(tops, ['/europe/rss.xml', '/europe/business/atom.xml', '/international/feed.json']);
      for (const path of tops) assert.equal((await feedIds(path))[0], 'frankfurt-record', `top of ${path}`);
      for (const path of paths(promise[2] ?? '')) {
        assert.ok(!(await feedIds(path)).includes('frankfurt-record'), `not in ${path}`);
      }
    },
  },
  {
    file: 'docs/api.md',
    block: "grep -A 1 '<item>'",
    // RSS titles are plain text, escaped, never CDATA (readers that take RSS titles as HTML).
    check: ({ stdout }) =>
      assert.match(stdout, /^\s*<item>\n\s*<title>Frankfurt shares close at a record<\/title>\n$/),
  },
  {
    file: 'docs/api.md',
    block: '-X DELETE',
    check: async ({ stdout }) => {
      assert.equal((JSON.parse(stdout) as { status: string }).status, 'withdrawn');
      for (const path of tops) assert.ok(!(await feedIds(path)).includes('frankfurt-record'), path);
      const log = walk.server?.output() ?? '';
      assert.match(
        log,
        /^\d\d:\d\d:\d\d PUT \/api\/articles\/frankfurt-record 201 \d+ ms {2}frankfurt-record v1 published$/m,
      );
      assert.match(
        log,
        /^\d\d:\d\d:\d\d DELETE \/api\/articles\/frankfurt-record 200 \d+ ms {2}frankfurt-record v2 withdrawn$/m,
      );
    },
  },
  {
    file: 'docs/api.md',
    block: 'newswire ingest',
    check: async ({ stdout }) => {
      const ids = exampleIds();
      const n = ids.length;
      assert.match(
        stdout,
        new RegExp(`^${n} published \\(${n} created, 0 updated\\), 0 unchanged, 0 rejected$`, 'm'),
      );
      assert.match(stdout, new RegExp(`^${n}/${n} ✓ `, 'm'));
      const international = await feedIds('/international/feed.json');
      for (const id of ids) assert.ok(international.includes(id), `${id} is in the International feed`);
    },
  },
  {
    file: 'docs/api.md',
    block: 'keys create',
    check: ({ stdout, stderr }) => {
      assert.match(stdout, /^[0-9a-f]{16}\s+cms\s+created /m);
      assert.match(stdout, /^Revoked API key [0-9a-f]{16} \("cms"\)\.$/m);
      assert.doesNotMatch(`${stdout}${stderr}`, /nw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/, 'no key on screen');
      assert.match(
        stderr,
        /^Using table "docs-[^"]+" at http:\/\/127\.0\.0\.1:\d+ \(the local Newswire at /m,
      );
    },
  },
  {
    file: 'docs/api.md',
    block: 'newswire reindex',
    check: ({ stdout }) =>
      assert.match(
        stdout,
        /^Reindexed: \d+ items scanned, \d+ articles' entries rewritten, 0 orphan entries removed\.$/m,
      ),
  },
  {
    file: 'docs/cli.md',
    block: 'grep -c',
    check: ({ stdout }) => assert.match(stdout, /^\d+\n\{/),
  },
  {
    file: 'docs/migration.md',
    block: '--dry-run',
    check: ({ stdout }) => {
      assert.match(stdout, /^1\/3 \+ paris-cafe-strike-8ce5a4939844 would be created$/m);
      assert.match(
        stdout,
        /^Dry run, nothing written: 3 would be created, 0 updated, 0 unchanged, 0 would fail$/m,
      );
    },
  },
  {
    file: 'docs/migration.md',
    block: /^npx newswire import examples\/old-site\.rss\.xml$/,
    check: ({ stdout }) => assert.match(stdout, /^3 created, 0 updated, 0 unchanged, 0 failed$/m),
  },
  {
    file: 'docs/migration.md',
    block: 'GUID=',
    check: ({ stdout }) => {
      const article = JSON.parse(stdout.slice(0, stdout.indexOf('\n<link>'))) as Record<string, unknown>;
      assert.equal(article.id, 'paris-cafe-strike-8ce5a4939844');
      assert.equal(article.status, 'published');
      assert.equal(article.publishedAt, '2025-11-17T09:12:33.000Z');
      assert.deepEqual(article.byline, [{ name: 'Ana Ortiz' }, { name: 'Lee Min' }, { name: 'Sam Roe' }]);
      assert.deepEqual(article.image, {
        url: 'https://old-courier.example.com/img/flore-strike-1200.jpg',
        caption: 'Strikers outside Café de Flore.',
        credit: 'Photograph: Claire Dubois/AFP',
        width: 1200,
        height: 720,
        type: 'image/jpeg',
        thumbnail: {
          url: 'https://old-courier.example.com/img/flore-strike-140.jpg',
          width: 140,
          height: 84,
        },
      });
      assert.deepEqual(stdout.match(/^<link>https:\/\/old-courier\S+$/gm), [
        '<link>https://old-courier.example.com/business/2025/nov/16/frankfurt-rally',
        '<link>https://old-courier.example.com/health/2025/nov/15/flu-season-early',
        '<link>https://old-courier.example.com/world/2025/nov/17/paris-cafe-strike',
      ]);
      assert.match(stdout, /^0 created, 0 updated, 3 unchanged, 0 failed$/m);
    },
  },
  {
    file: 'docs/migration.md',
    block: 'CMS_KEY=',
    check: ({ stdout }) => assert.equal(stdout.trim(), '200'),
  },
  {
    file: 'docs/websub.md',
    block: 'hub-story',
    check: async () => {
      const hub = walk.backgrounds[0];
      assert.ok(hub, 'the stand-in hub runs');
      const url = walk.url();
      const feeds = ['europe', 'europe/world', 'international', 'international/world', 'authors/lee-min'];
      const expected = feeds.flatMap((feed) =>
        ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${url}/${feed}/${file}`),
      );
      const pinged = () => new Set(hub.output().match(/(?<=^publish .*)\S+/gm) ?? []);
      await waitFor(
        'the stand-in hub to print every changed feed',
        () => (expected.every((feed) => pinged().has(feed)) ? true : undefined),
        () => hub.ended(),
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nthe hub printed:\n${hub.output()}`);
      });
      // The server logs the round once the hub has answered, just after the hub printed it.
      await waitFor(
        'the server to log the round of pings',
        () => (/Pinged the hub for \d+ feed URLs/.test(walk.server?.output() ?? '') ? true : undefined),
        () => walk.server?.ended(),
        30_000,
      );
    },
  },
];

/** Runs one file's blocks with the expectations, counting which expectations found their block. */
function walkFile(file: string): Promise<BlockResult[]> {
  const expectations = EXPECTATIONS.filter((e) => e.file === file).map((e) => ({
    ...e,
    check: (result: BlockResult, w: DocWalk) => {
      matched.set(e, (matched.get(e) ?? 0) + 1);
      return e.check(result, w);
    },
  }));
  return walk.walk(file, codeBlocks(docText(file)), expectations);
}

describe('the documentation, run as written on a non-default port and data folder', () => {
  test('README.md: from a clone to a story in a feed reader', async () => {
    assert.notEqual(walk.port, 3000);
    await walkFile('README.md');
  });

  test('a command that fails makes the walkthrough fail, with its file, line and exit status', async () => {
    const curl404 =
      '```sh\neval "$(npx newswire env)"\ncurl -fsS "$NEWSWIRE_URL/no-such-edition/rss.xml"\necho unreachable\n```\n';
    await assert.rejects(walk.walk('planted.md', codeBlocks(curl404)), (error: Error) => {
      assert.match(error.message, /^planted\.md:1: .*a command failed with exit status 22/);
      assert.match(error.message, /404/);
      assert.doesNotMatch(
        error.message,
        /--- stdout\n[\s\S]*unreachable[\s\S]*--- stderr/,
        'set -e stopped it',
      );
      return true;
    });
    const pipeline = '```sh\neval "$(npx newswire env)"\ncurl -fsS "$NEWSWIRE_URL/nope.xml" | cat\n```\n';
    await assert.rejects(walk.walk('planted.md', codeBlocks(pipeline)), /exit status 22/);
    const marker = 'Text.\n\n```sh later\ntrue\n```\n';
    await assert.rejects(
      walk.walk('planted.md', codeBlocks(marker)),
      /planted\.md:3: unknown marker "later"/,
    );
  });

  for (const file of docFiles().filter((f) => f !== 'README.md')) {
    test(file, async () => {
      await walkFile(file);
    });
  }

  test('every check found its block, and every block not run has its reason', async (t) => {
    for (const expectation of EXPECTATIONS) {
      assert.ok(matched.has(expectation), `${expectation.file} has no block with ${expectation.block}`);
    }
    for (const skip of walk.skipped) t.diagnostic(`not run: ${skip.file}:${skip.line}: ${skip.reason}`);
    assert.ok(walk.skipped.every((s) => s.reason.length > 0));
  });

  test('Newswire stops on Ctrl+C, says so, and removes its record', async () => {
    const server = walk.server;
    assert.ok(server, 'a Newswire is running at the end of the walk');
    await walk.stopServer();
    assert.equal(existsSync(join(walk.dataDir, 'server.json')), false);
    assert.match(server.output(), /^Stopping Newswire \(SIGINT\)…$/m);
    assert.match(server.output(), /^Newswire stopped; its data is kept in .+ for the next "npm start"\.$/m);
  });
});
