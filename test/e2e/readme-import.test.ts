/**
 * The README's "Migrating an existing feed" walkthrough, run as written: each
 * shell block of that section, taken from README.md itself, pasted in order
 * into one bash session against a fresh `newswire serve` (seeded, as after
 * `npm start`). The only changes are where the server listens (a free port
 * instead of 3000) and its data folder (a temporary one instead of .newswire/).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeBlocks, readmeSection } from '../support/readme.ts';
import { type ReadmeServer, startReadmeServer, Terminal } from '../support/readme-session.ts';

let server: ReadmeServer;

before(async () => {
  server = await startReadmeServer('readme-import');
});

after(() => server.stop());

describe('README: migrating an existing feed, as written', () => {
  const blocks = codeBlocks(readmeSection('Migrating an existing feed')).filter((b) => b.lang === 'sh');

  test('dry run, import, check, re-import, a key for the CMS: each does what the README says', async () => {
    assert.equal(blocks.length, 4, 'dry run, import, check, CMS key');
    const [dryRun, importing, check, cms] = blocks.map((b) => server.localise(b.code));
    const shell = new Terminal(server);
    try {
      const dry = await shell.paste(dryRun!);
      assert.equal(dry.status, 0, `${dry.stdout}${dry.stderr}`);
      assert.match(dry.stdout, /^1\/3 \+ paris-cafe-strike-8ce5a4939844 would be created$/m);
      assert.match(
        dry.stdout,
        /^Dry run, nothing written: 3 would be created, 0 updated, 0 unchanged, 0 would fail$/m,
      );

      const imported = await shell.paste(importing!);
      assert.equal(imported.status, 0, `${imported.stdout}${imported.stderr}`);
      assert.match(imported.stdout, /^3 created, 0 updated, 0 unchanged, 0 failed$/m);

      const checked = await shell.paste(check!);
      assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
      const json = checked.stdout.slice(0, checked.stdout.indexOf('\n<link>'));
      const article = JSON.parse(json) as Record<string, unknown>;
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
      const links = checked.stdout.match(/^<link>https:\/\/old-courier\S+$/gm) ?? [];
      assert.deepEqual(links, [
        '<link>https://old-courier.example.com/business/2025/nov/16/frankfurt-rally',
        '<link>https://old-courier.example.com/health/2025/nov/15/flu-season-early',
        '<link>https://old-courier.example.com/world/2025/nov/17/paris-cafe-strike',
      ]);
      assert.match(checked.stdout, /^0 created, 0 updated, 3 unchanged, 0 failed$/m);

      const key = await shell.paste(cms!);
      assert.equal(key.status, 0, key.stderr);
      assert.equal(key.stdout.trim(), '200');
    } finally {
      shell.close();
    }
  });
});
