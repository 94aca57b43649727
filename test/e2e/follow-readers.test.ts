/**
 * The feeds people follow besides editions — a writer's, a topic's, an
 * edition's Top Stories — as python3-feedparser and newsboat read them from
 * the seeded newsroom, and the seeded video as Media RSS readers see it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalNewswire } from '../../local/runtime.ts';
import { loadSeedArticles, loadSeedTopStories } from '../../local/seed.ts';
import { startTestServer } from '../support/local-server.ts';
import { feedparser, newsboat } from '../support/readers.ts';

let newswire: LocalNewswire;

before(async () => {
  newswire = await startTestServer();
});
after(() => newswire?.stop());

const seed = loadSeedArticles();
const idOf = (guid: string) => guid.replace(/^.*:article:/, '');

/** Seeded stories that name a writer (by id) or a topic, published by now, newest first. */
function seeded(match: (article: (typeof seed)[number]) => boolean): string[] {
  const now = Date.parse('2026-11-27T12:00:00Z');
  return seed
    .filter((a) => Date.parse(a.publishedAt) <= now && match(a))
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
    .map((a) => a.id);
}

const byRafael = seeded((a) => (a.byline as { id: string }[]).some((b) => b.id === 'rafael-duarte-pinheiro'));
const aboutClimate = seeded((a) => (a.topics as string[]).some((t) => t.toLowerCase() === 'climate'));

describe('writer, topic and Top Stories feeds in real readers', () => {
  test('feedparser reads a writer’s feed in RSS and Atom: their stories, their name and title in the feed title', async () => {
    assert.ok(byRafael.length >= 4);
    for (const file of ['rss.xml', 'atom.xml']) {
      const [feed] = await feedparser(`${newswire.url}/authors/rafael-duarte-pinheiro/${file}`);
      assert.equal(feed?.bozo, false, feed?.bozo_exception ?? '');
      assert.equal(feed?.title, 'Newswire — Rafael Duarte Pinheiro, Latin America Correspondent');
      assert.deepEqual(
        feed?.entries.map((e) => idOf(e.id)),
        byRafael,
        file,
      );
      for (const entry of feed?.entries ?? []) {
        assert.ok(
          entry.authors.some((a) => a.name === 'Rafael Duarte Pinheiro') ||
            entry.author?.includes('Rafael Duarte Pinheiro'),
          `${file}: ${entry.id} names the writer`,
        );
      }
    }
  });

  test('feedparser reads a topic’s feed, and the topic category points at the topic’s page', async () => {
    const [feed] = await feedparser(`${newswire.url}/topics/climate/rss.xml`);
    assert.equal(feed?.bozo, false, feed?.bozo_exception ?? '');
    assert.deepEqual(
      feed?.entries.map((e) => idOf(e.id)),
      aboutClimate,
    );
    const tag = feed?.entries[0]?.tags.find((t) => t.term?.toLowerCase() === 'climate');
    assert.equal(tag?.scheme, `${newswire.url}/topics/climate/`);
  });

  test('newsboat keeps every item of the writer, topic and Top Stories feeds, each with its author', async () => {
    const urls = [
      `${newswire.url}/authors/rafael-duarte-pinheiro/rss.xml`,
      `${newswire.url}/topics/climate/atom.xml`,
      `${newswire.url}/europe/top/rss.xml`,
    ];
    // newsboat keys its cache by guid: one cache per feed, or shared stories would be counted once.
    const [writer, topic, top] = await Promise.all(urls.map((url) => newsboat([url])));
    assert.deepEqual(
      writer?.items.map((i) => idOf(i.guid)),
      byRafael,
    );
    assert.deepEqual(new Set(topic?.items.map((i) => idOf(i.guid))), new Set(aboutClimate));
    assert.deepEqual(
      new Set(top?.items.map((i) => idOf(i.guid))),
      new Set(loadSeedTopStories().europe),
      'every European Top Story',
    );
    for (const item of [...(writer?.items ?? []), ...(topic?.items ?? []), ...(top?.items ?? [])]) {
      assert.notEqual(item.author, '', item.guid);
    }
  });

  test('the Top Stories feed keeps the editors’ order', async () => {
    const [feed] = await feedparser(`${newswire.url}/asia/top/atom.xml`);
    assert.equal(feed?.bozo, false);
    assert.deepEqual(
      feed?.entries.map((e) => idOf(e.id)),
      loadSeedTopStories().asia,
    );
  });

  test('the seeded video reaches Media RSS readers with its type, size, duration, poster and caption', async () => {
    for (const file of ['rss.xml', 'atom.xml']) {
      const [feed] = await feedparser(`${newswire.url}/americas/${file}`);
      const entry = feed?.entries.find((e) => idOf(e.id) === 'atacama-telescope-first-light');
      assert.ok(entry !== undefined, file);
      const video = entry.media_content?.find((m) => m.medium === 'video');
      assert.deepEqual(
        video,
        // The seed's video is the sample clip it ships (local/seed/pictures/), served by the local server.
        {
          url: `${newswire.url}/assets/samples/sample-clip.webm`,
          medium: 'video',
          type: 'video/webm',
          width: '640',
          height: '360',
          duration: '6',
        },
        file,
      );
      assert.ok(
        entry.media_thumbnail?.some((t) => t.url?.endsWith('.poster.webp')),
        'the poster',
      );
      assert.ok(entry.media_credit?.some((c) => c.content === 'Observatory video team / Newswire'));
      // feedparser has no media_description: it files each caption into summary_detail, the last one winning.
      assert.equal(
        entry.summary_detail?.value,
        'Time-lapse of the telescope dome opening at dusk for its first night of observations.',
        // feedparser re-serialises the HTML it keeps (attributes sorted): the video and its poster survive.
      );
      assert.match(entry.content[0]?.value ?? '', /<video [^>]*poster="[^"]+\.poster\.webp"/);
    }
  });
});
