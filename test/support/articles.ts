import { type Article, CONTENT_RULES } from '../../functions/core/article.ts';
import { parseArticle } from '../../functions/core/article-input.ts';
import type { SiteConfig } from '../../functions/core/config.ts';

/** A valid write-API article; override any field. */
export function sampleArticle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    headline: 'Summit ends with a pledge on shipping lanes',
    summary: 'Leaders agreed to keep the <em>Malacca Strait</em> open.',
    body: '<p>Leaders meeting in <a href="/asia/">Singapore</a> agreed on Friday.</p>',
    url: 'https://news.example.com/2026/11/27/asia/summit/',
    section: 'world',
    editions: ['asia', 'europe'],
    topics: ['Shipping', 'Diplomacy'],
    byline: [
      {
        name: 'Ana Ortiz',
        title: 'Senior China Analyst',
        url: 'https://news.example.com/profiles/ana-ortiz/',
      },
    ],
    image: {
      url: 'https://news.example.com/images/summit.jpg',
      caption: 'Leaders at the summit in Singapore.',
      credit: 'Lee Min / Newswire',
      width: 1200,
      height: 800,
      type: 'image/jpeg',
    },
    publishedAt: '2026-11-27T09:30:00Z',
    language: 'en',
    ...overrides,
  };
}

/**
 * An article as the write API stores it from `input`: parsed and sanitised,
 * stamped with the current content rules, version 1 unless `server` says otherwise.
 */
export function storedFrom(
  input: Record<string, unknown>,
  id: string,
  config: SiteConfig,
  now: Date,
  server: Partial<Pick<Article, 'version' | 'createdAt' | 'updatedAt' | 'withdrawnAt'>> = {},
): Article {
  const { content } = parseArticle(input, id, config, now);
  const publishedAt = content.publishedAt ?? now.toISOString();
  return {
    ...content,
    publishedAt,
    id,
    version: 1,
    createdAt: publishedAt,
    updatedAt: publishedAt,
    rules: CONTENT_RULES,
    ...server,
  };
}
