/**
 * The benchmark's articles: realistic stories as the write API stores them —
 * bodies of 5.7 to 14.7 KB of the sample newsroom's prose (spread evenly
 * across the page), a captioned, credited lead photo with a thumbnail, a
 * gallery photo and a video (with poster and duration) after the body, two
 * writers with titles and pages, four topics.
 */
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { loadSeedArticles } from '../local/seed.ts';
import { storedFrom } from '../test/support/articles.ts';

/** Smallest and largest body of a realistic story, in bytes of stored HTML. */
export const BODY_BYTES = { min: 5_700, max: 14_700 } as const;

const seed = loadSeedArticles();
const paragraphs = seed.flatMap((a) => String(a.body).match(/<p>[\s\S]*?<\/p>/g) ?? []);

/** Sanitising adds a few bytes (entities the sanitiser spells out): aim below the largest size by as much. */
const SANITISER_ROOM = 100;

/** Body size of story `index`: the range visited in eleven steps, all of it within every eleven stories. */
function bodyBytes(index: number): number {
  const span = BODY_BYTES.max - SANITISER_ROOM - BODY_BYTES.min;
  return BODY_BYTES.min + ((index * 7) % 11) * (span / 10);
}

/** Paragraphs of the sample newsroom's prose, cycled up to the story's body size (never past it). */
function bodyOf(index: number): string {
  const size = bodyBytes(index);
  let body = '';
  for (let i = index; ; i++) {
    const paragraph = paragraphs[i % paragraphs.length]!;
    if (Buffer.byteLength(body) + Buffer.byteLength(paragraph) > size) {
      // The last paragraph cut at a word, so every body has exactly its size's worth of prose.
      const room = size - Buffer.byteLength(body) - '<p></p>'.length;
      const words = paragraph.slice(3, -4).split(' ');
      let text = '';
      for (const word of words) {
        if (Buffer.byteLength(`${text} ${word}`) > room) break;
        text = text === '' ? word : `${text} ${word}`;
      }
      return `${body}<p>${text}</p>`;
    }
    body += paragraph;
  }
}

const TOPICS = ['Climate', 'Elections', 'Trade', 'Energy', 'Migration', 'Technology', 'Health', 'Diplomacy'];

/** The write API's JSON for realistic story number `index` (fixed dates, newest first by index). */
export function realisticInput(index: number): Record<string, unknown> {
  const story = seed[index % seed.length]!;
  const publishedAt = new Date(Date.parse('2026-11-27T12:00:00Z') - index * 60_000).toISOString();
  const images = `https://news.example.com/images/story-${index}`;
  return {
    headline: `${String(story.headline)} (${index})`,
    summary: story.summary,
    body: bodyOf(index),
    url: `https://news.example.com/2026/11/27/world/story-${index}/`,
    section: 'world',
    topics: [0, 1, 2, 3].map((t) => TOPICS[(index + t) % TOPICS.length]!),
    byline: [
      {
        id: `writer-${index % 7}`,
        name: `Ana Ortiz ${index % 7}`,
        title: 'Senior Europe Correspondent',
        url: `https://news.example.com/profiles/writer-${index % 7}/`,
      },
      { name: 'Lee Min', title: 'Data Editor', url: 'https://news.example.com/profiles/lee-min/' },
    ],
    image: {
      url: `${images}.jpg`,
      caption: 'Volunteers slot aluminium panels into steel posts along the embankment on Tuesday night.',
      credit: 'Edit Halmos / Newswire',
      width: 1200,
      height: 800,
      type: 'image/jpeg',
      length: 182_004,
      thumbnail: { url: `${images}-320.jpg`, width: 320, height: 213 },
    },
    media: [
      {
        url: `${images}-gallery-1.jpg`,
        type: 'image/jpeg',
        caption: 'The river at its crest on Thursday morning, seen from the old bridge.',
        credit: 'Bence Arató / Newswire',
        width: 1600,
        height: 1067,
        length: 241_380,
      },
      {
        url: `${images}.mp4`,
        type: 'video/mp4',
        caption: 'How the mobile barrier goes up: a crew of six, four hours.',
        credit: 'Newswire Video',
        width: 1280,
        height: 720,
        duration: 94,
        length: 18_204_112,
        poster: `${images}-poster.jpg`,
      },
    ],
    publishedAt,
    language: 'en',
  };
}

/** Realistic story `index` as stored: parsed, sanitised, under the current content rules. */
export function realisticArticle(index: number, config: SiteConfig): Article {
  return storedFrom(realisticInput(index), `story-${index}`, config, new Date('2026-11-28T00:00:00Z'));
}

/** What the harness's articles hold, shown beside the figures: body sizes, media, writers, topics. */
export function describeArticles(articles: readonly Article[]): string {
  const bodies = articles.map((a) => Buffer.byteLength(a.body));
  const kb = (bytes: number) => (bytes / 1000).toFixed(1);
  const photos = articles.filter((a) => a.image?.thumbnail !== undefined).length;
  const gallery = articles.filter((a) => a.media?.some((m) => m.type.startsWith('image/'))).length;
  const videos = articles.filter((a) => a.media?.some((m) => m.type.startsWith('video/'))).length;
  const writers = new Set(articles.map((a) => a.byline.length));
  const topics = new Set(articles.map((a) => a.topics.length));
  return `${articles.length} articles: bodies ${kb(Math.min(...bodies))}–${kb(Math.max(...bodies))} KB, lead photo with thumbnail in ${photos}, gallery photo in ${gallery}, video in ${videos}, ${[...writers].join('/')} writers, ${[...topics].join('/')} topics each`;
}
