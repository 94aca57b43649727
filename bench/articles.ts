/**
 * The benchmark's articles: realistic stories as the write API stores them.
 * Each has a body of 5.7 to 14.7 KB (a page of 50 spans the range evenly, in
 * no order of size), a captioned, credited lead photo with a thumbnail and
 * an RSS length, a gallery photo and a video with a poster after the body,
 * two writers with titles and profile pages, and four of eight topics.
 *
 * The prose is the sample newsroom's, as distinct text in every article: the
 * newsroom has about 40 KB of it, and a page of 50 bodies repeating it would
 * compress far better than 50 different stories do. So each article's
 * content words are swapped by a permutation of its own among words of the
 * same length (function words, punctuation and markup are kept): each body
 * keeps real English words, their lengths and frequencies and its own
 * repeats — what compression sees within one article — while no two
 * articles share their sentences.
 */
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { loadSeedArticles } from '../local/seed.ts';
import { storedFrom } from '../test/support/articles.ts';

/** Smallest and largest body of a realistic story, in bytes of stored HTML. */
export const BODY_BYTES = { min: 5_700, max: 14_700 } as const;

/** Sanitising adds a few bytes (relative links made absolute, entities spelt out): aim below each size by as much. */
const SANITISER_ROOM = 100;

/** Articles per cycle of body sizes: a page of this many has every size in the range once. */
const SIZE_STEPS = 50;

const seed = loadSeedArticles();
const paragraphs = seed.flatMap((a) => String(a.body).match(/<p>[\s\S]*?<\/p>/g) ?? []);

/** Words kept as they are: English function words, which every story shares. */
const FUNCTION_WORDS = new Set(
  (
    'a an the and or but nor so yet of in on at to for from by with about into over under after before ' +
    'between through during without within against among than as if when where while because that which ' +
    'who whom whose what this these those it its is are was were be been being has have had do does did ' +
    'will would can could should may might must not no he she they we you i his her their our your them ' +
    'him us me my there here said says say also more most many much some any all each other such only ' +
    'very just up out one two s'
  ).split(' '),
);

/** Content words of the newsroom's prose, grouped by length (lower case). */
const wordsByLength = new Map<number, string[]>();
for (const word of new Set(
  paragraphs
    .join(' ')
    .replace(/<[^>]*>|&#?\w+;/g, ' ')
    .toLowerCase()
    .match(/[a-z]+/g),
)) {
  if (FUNCTION_WORDS.has(word)) continue;
  const group = wordsByLength.get(word.length) ?? [];
  group.push(word);
  wordsByLength.set(word.length, group);
}

/** A small deterministic generator (mulberry32), so every run writes the same articles. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Article `index`'s own swap of content words: a permutation within each length. */
function wordSwap(index: number): (text: string) => string {
  const next = random(index + 1);
  const swap = new Map<string, string>();
  for (const group of wordsByLength.values()) {
    const shuffled = [...group];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    for (const [i, word] of group.entries()) swap.set(word, shuffled[i]!);
  }
  const swapped = (word: string) => {
    const to = swap.get(word.toLowerCase());
    if (to === undefined) return word;
    if (word === word.toUpperCase() && word.length > 1) return to.toUpperCase();
    return word[0] === word[0]!.toUpperCase() ? to[0]!.toUpperCase() + to.slice(1) : to;
  };
  // Words in text only: tags, their attributes and character references stay as they are.
  return (text) =>
    text.replace(/(<[^>]*>|&#?\w+;)|[A-Za-z]+/g, (match, kept: string | undefined) =>
      kept === undefined ? swapped(match) : match,
    );
}

/** Body size of article `index`: every step of the range once per SIZE_STEPS articles, in a scattered order. */
export function bodyBytes(index: number): number {
  const step = (index * 37) % SIZE_STEPS;
  const span = BODY_BYTES.max - SANITISER_ROOM - BODY_BYTES.min;
  return Math.round(BODY_BYTES.min + (span * step) / (SIZE_STEPS - 1));
}

/** Whole paragraphs from the newsroom's prose, then one cut at a word to end at `bytes`. */
function bodyOf(index: number, bytes: number, swap: (text: string) => string): string {
  let body = '';
  for (let i = index * 7; ; i++) {
    const paragraph = swap(paragraphs[i % paragraphs.length]!);
    if (Buffer.byteLength(body + paragraph) <= bytes) {
      body += paragraph;
      continue;
    }
    const room = bytes - Buffer.byteLength(body) - '<p>.</p>'.length;
    if (room <= 0) return body;
    const text = paragraph.replace(/^<p>|<\/p>$/g, '');
    let cut = text.slice(0, room);
    while (Buffer.byteLength(cut) > room) cut = cut.slice(0, -1);
    cut = cut.replace(/\s+\S*$/, '');
    return cut.length > 0 && !cut.includes('<') ? `${body}<p>${cut}.</p>` : body;
  }
}

const TOPICS = ['Climate', 'Elections', 'Trade', 'Energy', 'Migration', 'Technology', 'Health', 'Diplomacy'];

/** The write API's JSON for realistic story number `index` (fixed dates, newest first by index). */
export function realisticInput(index: number): Record<string, unknown> {
  const story = seed[index % seed.length]!;
  const swap = wordSwap(index);
  const publishedAt = new Date(Date.parse('2026-11-27T12:00:00Z') - index * 60_000).toISOString();
  const images = `https://news.example.com/images/2026/11/27/story-${index}`;
  return {
    headline: swap(String(story.headline)),
    summary: swap(String(story.summary)),
    body: bodyOf(index, bodyBytes(index), swap),
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
      url: `${images}/lead.jpg`,
      caption: swap(
        'Volunteers slot aluminium panels into steel posts along the embankment on Tuesday night.',
      ),
      credit: 'Edit Halmos / Newswire',
      width: 1200,
      height: 800,
      type: 'image/jpeg',
      length: 182_004 + index,
      thumbnail: { url: `${images}/lead-320.jpg`, width: 320, height: 213 },
    },
    media: [
      {
        url: `${images}/gallery-1.jpg`,
        type: 'image/jpeg',
        caption: swap('Soldiers carry the last panels from a lorry as the river rises behind them.'),
        credit: 'Edit Halmos / Newswire',
        width: 1200,
        height: 800,
      },
      {
        url: `https://video.news.example.com/2026/11/27/story-${index}/clip.mp4`,
        type: 'video/mp4',
        caption: swap('How the barrier went up, in ninety seconds.'),
        credit: 'Newswire Video',
        width: 1280,
        height: 720,
        duration: 94,
        poster: `${images}/clip-poster.jpg`,
        length: 14_208_311 + index,
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
