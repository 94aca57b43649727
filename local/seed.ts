import { readFileSync } from 'node:fs';
import { type ArticleServiceDeps, putArticle } from '../functions/core/articles.ts';
import { putTopStories } from '../functions/core/top-stories.ts';

/** The moment the sample newsroom was written for; seeding moves every date by (now − this). */
export const SEED_ANCHOR = Date.parse('2026-11-27T12:00:00Z');

/** One sample article as stored in local/seed/articles.json: the write API's JSON plus its id. */
export type SeedArticle = Record<string, unknown> & { id: string; publishedAt: string };

/** Reads the sample newsroom shipped with Newswire. */
export function loadSeedArticles(): SeedArticle[] {
  return JSON.parse(readFileSync(new URL('./seed/articles.json', import.meta.url), 'utf8')) as SeedArticle[];
}

/** The editors' Top Stories of each edition in the sample newsroom, by article id. */
export function loadSeedTopStories(): Record<string, string[]> {
  return JSON.parse(readFileSync(new URL('./seed/top-stories.json', import.meta.url), 'utf8')) as Record<
    string,
    string[]
  >;
}

/**
 * Writes the sample newsroom, moving every date so that the newest article
 * is minutes old and the scheduled ones are still hours ahead, then each
 * edition's Top Stories.
 */
export async function seedNewsroom(deps: ArticleServiceDeps, articles = loadSeedArticles()): Promise<number> {
  const shift = deps.clock().getTime() - SEED_ANCHOR;
  for (const { id, ...article } of articles) {
    const publishedAt = new Date(Date.parse(article.publishedAt) + shift).toISOString();
    await putArticle(deps, id, { ...article, publishedAt });
  }
  const seeded = new Set(articles.map((a) => a.id));
  for (const [edition, ids] of Object.entries(loadSeedTopStories())) {
    if (!deps.config.editions.some((e) => e.id === edition)) continue;
    await putTopStories(deps, edition, { articles: ids.filter((id) => seeded.has(id)) });
  }
  return articles.length;
}
