/**
 * The benchmark's articles: realistic stories as the write API stores them —
 * an 8 KB body of the sample newsroom's prose, a captioned, credited photo
 * with a thumbnail, two writers with titles and pages, four topics.
 */
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { loadSeedArticles } from '../local/seed.ts';
import { storedFrom } from '../test/support/articles.ts';

/** Body size of a realistic story, in bytes of stored HTML. */
export const BODY_BYTES = 8 * 1024;

const seed = loadSeedArticles();

/** Paragraphs of the sample newsroom's prose, cycled until the body reaches BODY_BYTES. */
function bodyOf(index: number): string {
  const paragraphs = seed.flatMap((a) => String(a.body).match(/<p>[\s\S]*?<\/p>/g) ?? []);
  let body = '';
  for (let i = index; Buffer.byteLength(body) < BODY_BYTES; i++) body += paragraphs[i % paragraphs.length];
  return body;
}

const TOPICS = ['Climate', 'Elections', 'Trade', 'Energy', 'Migration', 'Technology', 'Health', 'Diplomacy'];

/** The write API's JSON for realistic story number `index` (fixed dates, newest first by index). */
export function realisticInput(index: number): Record<string, unknown> {
  const story = seed[index % seed.length]!;
  const publishedAt = new Date(Date.parse('2026-11-27T12:00:00Z') - index * 60_000).toISOString();
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
      url: `https://news.example.com/images/story-${index}.jpg`,
      caption: 'Volunteers slot aluminium panels into steel posts along the embankment on Tuesday night.',
      credit: 'Edit Halmos / Newswire',
      width: 1200,
      height: 800,
      type: 'image/jpeg',
      length: 182_004,
      thumbnail: { url: `https://news.example.com/images/story-${index}-320.jpg`, width: 320, height: 213 },
    },
    publishedAt,
    language: 'en',
  };
}

/** Realistic story `index` as stored: parsed, sanitised, under the current content rules. */
export function realisticArticle(index: number, config: SiteConfig): Article {
  return storedFrom(realisticInput(index), `story-${index}`, config, new Date('2026-11-28T00:00:00Z'));
}
