/**
 * `newswire import` against the local server: each fixture (modelled on a
 * real feed) imported and every stored field checked; a second import that
 * changes nothing; a dry run that writes nothing; bad items reported while
 * the rest go in; a feed fetched from a URL, its relative links resolved
 * against where it was fetched from.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { ArticleView } from '../../functions/core/article.ts';
import { ARTICLE_CONTENT_FIELDS } from '../../functions/core/article-input.ts';
import { importFeed } from '../../local/import.ts';
import { readFeedForImport } from '../../local/import-feed.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import config from '../../newswire.config.ts';
import { recordAsRunning, startTestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const bin = new URL('../../local/bin.js', import.meta.url).pathname;
const fixture = (name: string) => new URL(`../fixtures/import/${name}`, import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A local Newswire recorded as running in a data folder with its dev key, as `newswire serve` leaves it. */
async function startRecordedServer(): Promise<{ newswire: LocalNewswire; dataDir: string }> {
  const newswire = await startTestServer();
  return { newswire, dataDir: recordAsRunning(newswire, 'newswire-import-') };
}

/** The real `newswire` command, piped (as in a script or CI), finding the server through its data folder. */
function newswireCli(args: string[], dataDir: string): Promise<Result> {
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, ...inherited } = process.env;
  return run(process.execPath, [bin, ...args], { env: { ...inherited, NEWSWIRE_DATA_DIR: dataDir } }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** What the API returns for an article (GET /api/articles/{id}), content fields only. */
async function stored(newswire: LocalNewswire, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${newswire.url}/api/articles/${id}`, {
    headers: { authorization: `Bearer ${newswire.apiKey}` },
  });
  assert.equal(response.status, 200, `GET ${id}`);
  const article = (await response.json()) as ArticleView & Record<string, unknown>;
  assert.equal(article.status, 'published', `${id} is published, not scheduled`);
  return Object.fromEntries(
    ARTICLE_CONTENT_FIELDS.filter((f) => article[f] !== undefined).map((f) => [f, article[f]]),
  );
}

async function version(newswire: LocalNewswire, id: string): Promise<number | undefined> {
  return (await newswire.deps.store.getArticle(id))?.version;
}

const IDS = {
  paris: 'paris-cafe-workers-strike-pay-inflation-d3ad2e5b76df',
  markets: 'c4g7k2x9vmpo-81b6cfc6ccd9',
  lagos: 'dailycourier-2026-11-16-lagos-election-count-7d04dc940e9b',
  fourDay: 'four-day-week-38983dc911dd',
  dots: 'quantum-dots-ed5acb0270a1',
  galaxies: 'impossible-galaxies-592a78629cf4',
  cicadas: '5f0b6a8e-2c1d-4e5f-9a7b-3c2d1e0f9a8b-63d333e15f91',
  chips: 'chip-export-rules-823fb4653fc2',
  openSource: '2026-11-16-open-source-funding-5072aa4fc5fd',
  flu: 'flu-season-early-7d982368023a',
  sommeil: 'sommeil-5fa0662320f2',
};

// One server for the file: the handlers' dependencies are built once per process, so a second would share its table.
let newswire: LocalNewswire;
let dataDir: string;
before(async () => {
  ({ newswire, dataDir } = await startRecordedServer());
});
after(() => newswire?.stop());

describe('newswire import', () => {
  test('a dry run lists what would be created and writes nothing', async () => {
    const result = await newswireCli(['import', fixture('news-site.rss.xml'), '--dry-run'], dataDir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^Dry run: checking 4 items from .*news-site\\.rss\\.xml \\(RSS 2\\.0 "World news \\| The Daily Courier"\\) against ${newswire.url}$`,
        'm',
      ),
    );
    assert.match(result.stdout, new RegExp(`^1/4 \\+ ${IDS.paris} would be created$`, 'm'));
    assert.match(result.stdout, new RegExp(`^4/4 \\+ ${IDS.fourDay} would be created$`, 'm'));
    assert.match(
      result.stdout,
      /^Dry run, nothing written: 4 would be created, 0 updated, 0 unchanged, 0 would fail$/m,
    );
    for (const id of [IDS.paris, IDS.markets, IDS.lagos, IDS.fourDay]) {
      assert.equal(await version(newswire, id), undefined, `${id} was not written`);
    }
  });

  test('RSS with CDATA, HTML entities, Media RSS groups and several dc:creator: every field', async () => {
    const result = await newswireCli(['import', fixture('news-site.rss.xml')], dataDir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^1/4 ✓ ${IDS.paris} created$`, 'm'));
    assert.match(result.stdout, /^4 created, 0 updated, 0 unchanged, 0 failed$/m);
    assert.equal(result.stderr, '');

    assert.deepEqual(await stored(newswire, IDS.paris), {
      // Imported stories are free: the feed they came from is public.
      access: 'free',
      headline: 'Paris café workers strike over pay as inflation bites',
      // The description's escaped HTML, reduced to the inline markup a summary keeps.
      summary:
        'Waiters and baristas walk out across the French capital, saying wages have fallen behind the cost of living <a href="https://www.dailycourier.example/world/live/2026/nov/17/france-strikes-live">France strikes – live updates</a>',
      // content:encoded (CDATA): sanitised, relative links made absolute, the script gone.
      body: '<p>Hundreds of waiters and baristas walked out across Paris on Tuesday, closing some of the city’s best-known cafés for the first time since 1968.</p>\n<p>“We serve <em>millions</em> of coffees &amp; get nothing back,” said one striker outside Café de Flore.</p>\n<figure><img alt="Strikers outside Café de Flore" src="https://www.dailycourier.example/img/2026/11/17/flore-strike-1200.jpg" /><figcaption>Strikers outside Café de Flore.</figcaption></figure>\n<p>Read <a href="https://www.dailycourier.example/world/france">more on France</a>.</p>',
      url: 'https://www.dailycourier.example/world/2026/nov/17/paris-cafe-workers-strike-pay-inflation',
      section: 'world',
      topics: ['France', 'Europe', 'Strikes'],
      // Two dc:creator elements, the second "Lee Min and Sam Roe".
      byline: [{ name: 'Ana Ortiz' }, { name: 'Lee Min' }, { name: 'Sam Roe' }],
      // The media:group's default rendition leads; its narrowest is the thumbnail.
      image: {
        url: 'https://i.dailycourier.example/img/flore-strike-1200.jpg',
        caption: 'Strikers outside Café de Flore in Saint-Germain-des-Prés on Tuesday.',
        credit: 'Photograph: Claire Dubois/AFP/Getty Images',
        width: 1200,
        height: 720,
        type: 'image/jpeg',
        thumbnail: { url: 'https://i.dailycourier.example/img/flore-strike-140.jpg', width: 140, height: 84 },
      },
      publishedAt: '2026-11-17T09:12:33.000Z',
      language: 'en-gb',
    });

    assert.deepEqual(await stored(newswire, IDS.markets), {
      access: 'free',
      // CDATA holding HTML-encoded text: decoded once, as readers show it.
      headline: 'Markets & the euro: why Frankfurt’s rally may not last',
      summary:
        'Shares in Frankfurt rose for a third day — but analysts warn the euro is doing the heavy lifting.',
      // No content:encoded: the description is the full text.
      body: 'Shares in Frankfurt rose for a third day — but analysts warn the <b>euro</b> is doing the heavy lifting.',
      url: 'https://www.dailycourier.example/business/articles/c4g7k2x9vmpo?at_medium=RSS&at_campaign=rss',
      // The category "Business" names a section.
      section: 'business',
      topics: ['Markets', 'Euro'],
      byline: [],
      // An item-level media:thumbnail is the only picture.
      image: {
        url: 'https://ichef.dailycourier.example/news/240/cpsprodpb/frankfurt-traders.jpg',
        width: 240,
        height: 135,
        type: 'image/jpeg',
      },
      publishedAt: '2026-11-17T07:30:00.000Z',
      language: 'en-gb',
    });

    assert.deepEqual(await stored(newswire, IDS.lagos), {
      access: 'free',
      headline: 'Election count: Lagos votes "too close to call" as results trickle in',
      summary: 'Officials in Lagos said the count would run into a third day.',
      body: '<p>Officials in Lagos said on Monday that the count would run into a third day, as résumés of the candidates circulated online — and queues stretched for miles.</p><p>Voters waited up to nine hours.</p>',
      url: 'https://www.dailycourier.example/world/2026/nov/16/lagos-election-count',
      section: 'world',
      topics: ['Nigeria', 'Africa', 'Elections'],
      // "By Chidi Okafor, Amara Nwosu and Tunde Bello"
      byline: [{ name: 'Chidi Okafor' }, { name: 'Amara Nwosu' }, { name: 'Tunde Bello' }],
      image: {
        url: 'https://i.dailycourier.example/img/lagos-queue-1024.jpg',
        caption: 'Voters queue outside a polling station in Ikeja.',
        credit: 'Femi Adeyemi, Reuters',
        width: 1024,
        height: 683,
        type: 'image/jpeg',
        thumbnail: { url: 'https://i.dailycourier.example/img/lagos-queue-320.jpg', width: 320, height: 213 },
      },
      // The video group (its widest rendition, its thumbnail as poster), then the loose media:content photo.
      media: [
        {
          url: 'https://video.dailycourier.example/2026/11/16/lagos-count.mp4',
          type: 'video/mp4',
          caption: 'Watch: the count in Ikeja, hour by hour.',
          credit: 'Daily Courier Video',
          width: 1280,
          height: 720,
          duration: 94,
          poster: 'https://video.dailycourier.example/2026/11/16/lagos-count.jpg',
        },
        {
          url: 'https://i.dailycourier.example/img/lagos-ballot-box.jpg',
          type: 'image/jpeg',
          caption: 'A ballot box is sealed.',
          credit: 'Femi Adeyemi/Reuters',
          width: 1200,
          height: 800,
        },
      ],
      // "Mon, 16 Nov 2026 18:45:00 EST"
      publishedAt: '2026-11-16T23:45:00.000Z',
      language: 'en-gb',
    });

    assert.deepEqual(await stored(newswire, IDS.fourDay), {
      access: 'free',
      headline: 'Opinion: The four-day week is coming – whether bosses like it or not',
      summary: 'Trials in six countries point the same way, writes our columnist',
      body: '<p>Trials in six countries point the same way.</p>',
      url: 'https://www.dailycourier.example/commentisfree/2026/nov/15/four-day-week',
      section: 'opinion',
      topics: ['Work & careers'],
      // <author>columns@dailycourier.example (Priya Raman)</author>
      byline: [{ name: 'Priya Raman' }],
      // An image enclosure, with its length.
      image: {
        url: 'https://i.dailycourier.example/img/four-day-week.jpg',
        type: 'image/jpeg',
        length: 184320,
      },
      publishedAt: '2026-11-15T07:00:00.000Z',
      language: 'en-gb',
    });
  });

  test('a second import changes nothing: no new version, every item unchanged', async () => {
    const ids = [IDS.paris, IDS.markets, IDS.lagos, IDS.fourDay];
    const before = await Promise.all(ids.map((id) => newswire.deps.store.getArticle(id)));
    const result = await newswireCli(['import', fixture('news-site.rss.xml')], dataDir);
    assert.equal(result.code, 0, result.stderr);
    for (const id of ids) assert.match(result.stdout, new RegExp(`^\\d/4 = ${id} unchanged$`, 'm'));
    assert.match(result.stdout, /^0 created, 0 updated, 4 unchanged, 0 failed$/m);
    const afterwards = await Promise.all(ids.map((id) => newswire.deps.store.getArticle(id)));
    assert.deepEqual(
      afterwards.map((a) => [a?.version, a?.updatedAt]),
      before.map((a) => [a?.version, a?.updatedAt]),
    );
    assert.deepEqual(
      before.map((a) => a?.version),
      [1, 1, 1, 1],
    );
  });

  test('a changed item is updated (and a dry run says so first); a withdrawn one is left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswire-import-changed-'));
    const changed = join(dir, 'news-site.rss.xml');
    writeFileSync(
      changed,
      readFileSync(fixture('news-site.rss.xml'), 'utf8').replace(
        'Trials in six countries point the same way.</p>',
        'Trials in seven countries point the same way.</p>',
      ),
    );
    const withdrawn = await fetch(`${newswire.url}/api/articles/${IDS.markets}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${newswire.apiKey}` },
    });
    assert.equal(withdrawn.status, 200);

    const dry = await newswireCli(['import', changed, '--dry-run'], dataDir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^4/4 ~ ${IDS.fourDay} would be updated \\(body\\)$`, 'm'));
    assert.match(dry.stdout, new RegExp(`^2/4 - ${IDS.markets} is withdrawn in Newswire; left alone$`, 'm'));
    assert.equal(await version(newswire, IDS.fourDay), 1, 'the dry run wrote nothing');

    const real = await newswireCli(['import', changed], dataDir);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, new RegExp(`^4/4 ✓ ${IDS.fourDay} updated \\(body\\)$`, 'm'));
    assert.match(real.stdout, /^0 created, 1 updated, 2 unchanged, 1 withdrawn \(left alone\), 0 failed$/m);
    const updated = await newswire.deps.store.getArticle(IDS.fourDay);
    assert.equal(updated?.version, 2);
    assert.equal(updated?.body, '<p>Trials in seven countries point the same way.</p>');
    const markets = await newswire.deps.store.getArticle(IDS.markets);
    assert.ok(markets?.withdrawnAt !== undefined, 'still withdrawn');
  });

  test('bad items are reported with the API’s reasons, the rest are imported, and the exit status is 1', async () => {
    const result = await newswireCli(['import', fixture('bad-items.rss.xml')], dataDir);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'newswire: 1 of 4 items were not imported (item 2)\n');
    assert.match(result.stdout, /^1\/4 ✓ port-strike-ends-a0a3d1571b55 created$/m);
    // Refused by the write API (its 400's errors).
    assert.match(
      result.stdout,
      /^2\/4 ✗ item 2 too-long-eb115d027f5d: 400 headline must be at most 300 characters$/m,
    );
    // An item without a link is imported without a url: its page on this site is its address.
    assert.match(result.stdout, /^3\/4 ✓ wire-2026-11-20-correction-0017-54e5863a2f3f created$/m);
    assert.match(
      result.stdout,
      /^ {2}item 3 wire-2026-11-20-correction-0017-54e5863a2f3f: url: the item has no link; the article's page on this site is its address$/m,
    );
    const linkless = await newswire.deps.store.getArticle('wire-2026-11-20-correction-0017-54e5863a2f3f');
    assert.equal(linkless?.url, undefined);
    assert.match(result.stdout, /^4\/4 ✓ ferries-resume-6e3f070d1376 created$/m);
    assert.match(result.stdout, /^3 created, 0 updated, 0 unchanged, 1 failed$/m);
    assert.equal(await version(newswire, 'ferries-resume-6e3f070d1376'), 1);
    assert.equal(await version(newswire, 'too-long-eb115d027f5d'), undefined);
  });

  test('Atom with xhtml content and relative links against xml:base: every field', async () => {
    const text = readFileSync(fixture('science-blog.atom.xml'), 'utf8');
    const lines: string[] = [];
    const summary = await importFeed(readFeedForImport(text, { config }), {
      target: { url: newswire.url, key: newswire.apiKey },
      dryRun: false,
      config,
      out: { write: (line: string) => lines.push(line) },
    });
    assert.deepEqual(summary.created, [IDS.dots, IDS.galaxies, IDS.cicadas], lines.join(''));
    assert.deepEqual(summary.failed, []);

    // Feed xml:base "/notes/" against its self link, entry "2026/11/", content "quantum-dots/".
    assert.deepEqual(await stored(newswire, IDS.dots), {
      access: 'free',
      headline: 'Quantum dots & the race for brighter screens',
      summary: 'Tiny crystals &amp; big claims: why a &lt; b when it comes to pixels.',
      body: '<p>Quantum dots are crystals a few <em>nanometres</em> across — small enough that their colour depends on their size.</p>\n        <p><img alt="A vial of glowing dots" src="https://science.example.org/notes/2026/11/quantum-dots/images/dots.jpg" /></p>\n        <p>See <a href="https://science.example.org/notes/people/lee-min/">Lee Min’s earlier piece</a> and <a href="https://science.example.org/notes/2026/11/quantum-dots/#notes">the notes</a>.</p>',
      url: 'https://science.example.org/notes/2026/11/quantum-dots/',
      section: 'science',
      topics: ['Physics', 'displays'],
      byline: [
        { name: 'Ana Ortiz', url: 'https://science.example.org/notes/people/ana-ortiz/' },
        { name: 'Lee Min' },
      ],
      image: {
        url: 'https://science.example.org/notes/2026/11/quantum-dots/images/dots-lead.jpg',
        type: 'image/jpeg',
        length: 48213,
      },
      // <published> wins over <updated>.
      publishedAt: '2026-11-19T07:00:00.000Z',
      language: 'en-GB',
    });

    assert.deepEqual(await stored(newswire, IDS.galaxies), {
      access: 'free',
      headline: 'Why the JWST keeps finding “impossible” galaxies',
      summary: 'Galaxies that look too old for their age keep turning up in the survey data.',
      body: '<p>Galaxies that look too old for their age keep turning up in <a href="https://science.example.org/notes/2026/11/impossible-galaxies/data.csv">the survey data</a>.</p>',
      url: 'https://science.example.org/notes/2026/11/impossible-galaxies/',
      section: 'world',
      topics: ['Astronomy'],
      // No author in the entry: the feed's.
      byline: [{ name: 'Lab Notes desk', url: 'https://science.example.org/notes/about/' }],
      image: {
        url: 'https://science.example.org/notes/2026/11/impossible-galaxies/deep-field.png',
        caption: 'A deep field from the survey.',
        credit: 'NASA, ESA, CSA',
        width: 2000,
        height: 2000,
        type: 'image/png',
      },
      // Only <updated>.
      publishedAt: '2026-11-18T16:30:00.000Z',
      language: 'en-GB',
    });

    assert.deepEqual(await stored(newswire, IDS.cicadas), {
      access: 'free',
      headline: 'Field note: the 17-year cicadas are early',
      summary:
        'Brood XIV emerged three weeks early this year. Entomologists say warm soil is the likeliest cause &lt;but not the only one&gt;.',
      body: '<p>Brood XIV emerged three weeks early this year.</p>\n<p>Entomologists say warm soil is the likeliest cause &lt;but not the only one&gt;.</p>',
      url: 'https://science.example.org/notes/2026/11/cicadas/',
      section: 'world',
      topics: [],
      byline: [{ name: 'Sam Roe' }, { name: 'Zoë Ng' }],
      publishedAt: '2026-11-17T06:00:00.000Z',
      language: 'en-GB',
    });
  });

  test('JSON Feed 1.0 and 1.1: every field', async () => {
    for (const name of ['tech-weekly.v1.json', 'health-desk.v1.1.json']) {
      const result = await newswireCli(['import', fixture(name)], dataDir);
      assert.equal(result.code, 0, `${name}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /^2 created, 0 updated, 0 unchanged, 0 failed$/m);
    }
    assert.deepEqual(await stored(newswire, IDS.chips), {
      access: 'free',
      headline: 'New chip export rules: what changes on 1 January',
      // JSON Feed summaries are plain text: what looks like markup is text.
      summary: 'Exporters have six weeks to adapt. Here is what &lt;changes&gt; &amp; when.',
      body: '<p>The rules cover <strong>advanced</strong> chips &amp; the machines that make them.</p><p><img alt="A chip fab" src="https://techweekly.example.net/media/2026/11/fab.jpg" /></p>',
      url: 'https://techweekly.example.net/2026/11/18/chip-export-rules',
      section: 'technology',
      topics: ['Semiconductors', 'Trade'],
      // JSON Feed 1.0's singular "author".
      byline: [{ name: 'Dana Whitfield', url: 'https://techweekly.example.net/authors/dana/' }],
      image: {
        url: 'https://techweekly.example.net/media/2026/11/chip-export-rules-lead.jpg',
        type: 'image/jpeg',
      },
      // The image attachment; the MP3 is left out (with a note).
      media: [
        {
          url: 'https://techweekly.example.net/media/2026/11/export-chart.png',
          type: 'image/png',
          caption: 'Chip exports by month',
          length: 51234,
        },
      ],
      publishedAt: '2026-11-18T12:30:00.000Z',
      language: 'en',
    });
    assert.deepEqual(await stored(newswire, IDS.openSource), {
      access: 'free',
      headline: 'Who pays for open source?',
      // No summary: the start of the text.
      summary:
        'A new fund promises $10m a year to maintainers. Critics say that is a rounding error for the companies that depend on their work.',
      body: '<p>A new fund promises $10m a year to maintainers.</p>\n<p>Critics say that is a rounding error for the companies that depend on their work.</p>',
      url: 'https://techweekly.example.net/2026/11/16/open-source-funding',
      section: 'world',
      topics: ['Open source'],
      byline: [{ name: 'Tech Weekly staff', url: 'https://techweekly.example.net/about/' }],
      publishedAt: '2026-11-16T12:00:00.000Z',
      language: 'en',
    });
    assert.deepEqual(await stored(newswire, IDS.flu), {
      access: 'free',
      headline: 'Flu season arrives early in the southern states',
      summary: 'Hospital admissions doubled in a fortnight.',
      body: '<p>Hospital admissions for flu doubled in two weeks, the <abbr title="Centers for Disease Control and Prevention">CDC</abbr> said.</p><p>Doctors urge vaccination.</p>',
      url: 'https://health.example.com/2026/11/19/flu-season-early',
      section: 'health',
      topics: ['Flu', 'Vaccines'],
      byline: [
        { name: 'Maria Santos', url: 'https://health.example.com/staff/maria-santos' },
        { name: 'Jo Park' },
      ],
      media: [
        {
          url: 'https://health.example.com/video/flu-explainer.mp4',
          type: 'video/mp4',
          caption: 'Explainer: how flu spreads',
          duration: 125,
          length: 10485760,
        },
      ],
      publishedAt: '2026-11-19T14:00:00.000Z',
      language: 'en-US',
    });
    assert.deepEqual(await stored(newswire, IDS.sommeil), {
      access: 'free',
      headline: 'Le sommeil des adolescents, un enjeu de santé publique',
      summary: 'Les adolescents dorment en moyenne sept heures par nuit.',
      body: '<p>Les adolescents dorment en moyenne sept heures par nuit.</p>',
      url: 'https://health.example.com/2026/11/18/sommeil',
      section: 'world',
      topics: ['Sommeil'],
      byline: [{ name: 'Health Desk' }],
      // Only date_modified.
      publishedAt: '2026-11-18T20:15:00.000Z',
      language: 'fr',
    });
  });

  test('--section and --editions apply to every item', async () => {
    const result = await newswireCli(
      ['import', fixture('health-desk.v1.1.json'), '--section', 'science', '--editions', 'americas,europe'],
      dataDir,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^1/2 ✓ ${IDS.flu} updated \\(section, editions, topics\\)$`, 'm'),
    );
    const flu = await stored(newswire, IDS.flu);
    assert.deepEqual(
      [flu.section, flu.editions, flu.topics],
      ['science', ['americas', 'europe'], ['Health', 'Flu', 'Vaccines']],
    );
  });

  test('on a terminal: one bar, redrawn, and only what needs attention printed above it', async () => {
    const writes: string[] = [];
    const text = readFileSync(fixture('tech-weekly.v1.json'), 'utf8');
    await importFeed(readFeedForImport(text, { config, editions: ['asia'] }), {
      target: { url: newswire.url, key: newswire.apiKey },
      dryRun: false,
      config,
      out: { isTTY: true, columns: 60, write: (chunk: string) => writes.push(chunk) },
    });
    const screen = writes.join('');
    assert.match(screen, /\[#{10,}\] 2\/2/);
    // Neither item is a plain success any more: the sample site syndicates to news apps, and the API
    // warns that a story without a photo (or of unknown size) misses their image rules.
    assert.match(
      screen,
      new RegExp(
        `✓ ${IDS.openSource} updated \\(editions\\)\\n[^\\n]*\\r\\x1b\\[2K  item 2 ${IDS.openSource}: image Google News asks for a photo`,
      ),
      'an item with a warning from the API is shown with it',
    );
    assert.match(
      screen,
      new RegExp(`✓ ${IDS.chips} updated \\(editions\\)\\n`),
      'an item with a note is shown',
    );
    assert.match(
      screen,
      /podcast\/2026-11-18\.mp3 left out \(audio\/mpeg: Newswire carries photos and videos\)/,
    );
    assert.equal(writes.at(-1), '\r\x1b[2K', 'the bar is cleared at the end');
  });
});

describe('newswire import URL', () => {
  let site: Server;
  let siteUrl: string;
  const requests: string[] = [];
  before(async () => {
    const atom = readFileSync(fixture('science-blog.atom.xml'));
    site = createServer((request, response) => {
      requests.push(`${request.method} ${request.url} ${request.headers.accept ?? ''}`);
      if (request.url === '/lab-notes') {
        response.writeHead(301, { location: '/notes/feed.atom' }).end();
      } else if (request.url === '/notes/feed.atom') {
        response.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' }).end(atom);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => site?.close(resolve)));

  test('fetches the feed (following a redirect) and resolves its relative links against where it ended up', async () => {
    const result = await newswireCli(['import', `${siteUrl}/lab-notes`], dataDir);
    assert.equal(result.code, 0, result.stderr);
    // Created, or updated when the file import above ran first (same guids, links now against this URL).
    assert.match(
      result.stdout,
      new RegExp(`^1/3 ✓ ${IDS.dots} (created|updated \\(body, url, byline, image\\))$`, 'm'),
    );
    assert.match(result.stdout, / 0 failed$/m);
    assert.match(requests[0] ?? '', /^GET \/lab-notes application\/rss\+xml, application\/atom\+xml/);
    const dots = await stored(newswire, IDS.dots);
    assert.equal(dots.url, `${siteUrl}/notes/2026/11/quantum-dots/`);
    assert.deepEqual(dots.byline, [
      { name: 'Ana Ortiz', url: `${siteUrl}/notes/people/ana-ortiz/` },
      { name: 'Lee Min' },
    ]);
    assert.equal(
      (dots.image as { url: string }).url,
      `${siteUrl}/notes/2026/11/quantum-dots/images/dots-lead.jpg`,
    );
    assert.match(
      dots.body as string,
      new RegExp(`src="${siteUrl}/notes/2026/11/quantum-dots/images/dots\\.jpg"`),
    );
  });

  test('a URL that does not answer with a feed is one line, exit 1', async () => {
    const result = await newswireCli(['import', `${siteUrl}/gone.xml`], dataDir);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `newswire: cannot fetch ${siteUrl}/gone.xml: HTTP 404 Not Found\n`);
  });
});

describe('newswire import: usage', () => {
  /** An expected failure: one `newswire: …` line on stderr, no stack trace, the given exit code. */
  function assertFailure(result: Result, code: number, line: string): void {
    assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
    assert.equal(result.stderr, `newswire: ${line}\n`);
  }

  test('--help documents the command; wrong usage exits 2 before anything is read or sent', async () => {
    const help = await newswireCli(['import', '--help'], dataDir);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /^Usage: newswire import FILE\|URL \[--section S\] \[--editions a,b\] \[--dry-run\]/,
    );
    assertFailure(
      await newswireCli(['import'], dataDir),
      2,
      'import needs a FILE or URL, e.g. newswire import https://example.com/rss.xml. See "newswire import --help" for its options.',
    );
    assertFailure(
      await newswireCli(['import', 'feed.xml', '--section', 'weather'], dataDir),
      2,
      '--section: unknown section "weather" (the sections are world, business, technology, science, health, sport, politics, opinion).',
    );
    assertFailure(
      await newswireCli(['import', 'feed.xml', '--editions', 'europe,mars'], dataDir),
      2,
      '--editions: unknown edition "mars" (the editions are international, europe, asia, americas, middle-east, africa)',
    );
    const unknown = await newswireCli(['import', 'feed.xml', '--force'], dataDir);
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      'newswire: unknown option "--force". See "newswire import --help" for its options.\n',
    );
  });

  test('a missing file, a file that is not a feed, and no running server are one line each, exit 1', async () => {
    assertFailure(
      await newswireCli(['import', 'no-such-feed.xml'], dataDir),
      1,
      'cannot read no-such-feed.xml: no such file',
    );
    const notFeed = new URL('../../package.json', import.meta.url).pathname;
    assertFailure(
      await newswireCli(['import', notFeed], dataDir),
      1,
      `${notFeed} is not an RSS, Atom or JSON feed that can be read (Unrecognized feed format)`,
    );
    const nowhere = join(mkdtempSync(join(tmpdir(), 'newswire-import-none-')), 'data');
    const result = await newswireCli(['import', fixture('news-site.rss.xml')], nowhere);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^newswire: no local Newswire is running \(no .*server\.json\); start one with "npm start", or pass --url\n$/,
    );
  });
});

describe('newswire import: a throttled or unavailable API', () => {
  test('429 and 503 are tried again after Retry-After (else 1 s, at most 30 s), then reported', async () => {
    const seen: string[] = [];
    let gets = 0;
    let puts = 0;
    // Answers like the write API under load: the first GET 503, the first PUT 429, a second item always 503.
    const api = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['if-none-match'] ?? ''}`);
      request.resume();
      const busy = (status: number, retryAfter?: string) =>
        response
          .writeHead(status, {
            'content-type': 'application/problem+json',
            ...(retryAfter !== undefined && { 'retry-after': retryAfter }),
          })
          .end(JSON.stringify({ status, detail: 'busy' }));
      if (request.url?.includes('always-busy')) return busy(503, '120');
      if (request.method === 'GET') return ++gets === 1 ? busy(503, '2') : response.writeHead(404).end('{}');
      if (++puts === 1) return busy(429);
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"published"}');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const feed = readFeedForImport(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'Busy',
          items: ['https://busy.example/one', 'https://busy.example/always-busy'].map((id) => ({
            id,
            url: id,
            title: 'A story',
            content_text: 'Text.',
            date_published: '2026-11-01T00:00:00Z',
          })),
        }),
        { config },
      );
      const waits: number[] = [];
      const lines: string[] = [];
      const summary = await importFeed(feed, {
        target: { url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, key: 'nw_test' },
        dryRun: false,
        config,
        out: { write: (line: string) => lines.push(line) },
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      const one = feed.items[0]?.ok ? feed.items[0].id : '';
      const busy = feed.items[1]?.ok ? feed.items[1].id : '';
      assert.deepEqual(summary.created, [one]);
      assert.deepEqual(summary.failed, [{ where: 'item 2', id: busy, message: 'GET 503 busy' }]);
      assert.deepEqual(waits, [2000, 1000, 30_000, 30_000, 30_000], 'Retry-After, else 1 s, capped at 30 s');
      assert.deepEqual(seen.slice(0, 4), [
        `GET /api/articles/${one} `,
        `GET /api/articles/${one} `,
        `PUT /api/articles/${one} *`,
        `PUT /api/articles/${one} *`,
      ]);
      assert.equal(
        seen.filter((s) => s.includes(busy)).length,
        4,
        'four attempts, then the item is reported',
      );
      assert.match(lines.join(''), new RegExp(`GET ${one}: Newswire answered 503; trying again in 2 s\\n`));
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  });
});
