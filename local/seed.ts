import { readFileSync } from 'node:fs';
import { type ArticleServiceDeps, putArticle } from '../functions/core/articles.ts';
import { putTopStories } from '../functions/core/top-stories.ts';
import {
  SAMPLE_SIZES,
  SAMPLE_TYPE,
  SAMPLE_VIDEO,
  SAMPLES_PATH,
  type SampleRendition,
  samplePicturePath,
} from './seed-pictures/pictures.ts';

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

/** A picture URL of the sample newsroom: `https://news.example.com/images/…/{name}.jpg`, which no one serves. */
const SEED_PICTURE = /^https:\/\/news\.example\.com\/images\/(?:[^/?#]+\/)*([a-z0-9-]{1,80})\.jpg$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A video of the sample newsroom: `https://news.example.com/video/…`, which no one serves either. */
const SEED_VIDEO = /^https:\/\/news\.example\.com\/video\//;

/**
 * Points the sample newsroom's pictures at the picture files shipped in
 * local/seed/pictures/ (served locally at /assets/samples/), so that pages,
 * readers and screenshots show photos: the lead photo (and its thumbnail, if
 * the article has one, of the same scene), gallery photos, and each video
 * (the sample clip) and its poster. Anything else, and every URL that is not
 * a sample-newsroom picture, is left as it is; the CMS's own URLs never pass
 * through here.
 */
export function withSamplePhotos(article: SeedArticle, baseUrl: string): SeedArticle {
  const sample = (name: string, rendition: SampleRendition) =>
    `${baseUrl}${samplePicturePath(name, rendition)}`;
  const result: SeedArticle = { ...article };
  const image = article.image;
  const photo = isObject(image) && typeof image.url === 'string' ? SEED_PICTURE.exec(image.url) : null;
  if (isObject(image) && photo !== null) {
    const name = photo[1] ?? '';
    // A byte length would describe the CMS's file, not the sample.
    const { length: _length, ...described } = image;
    result.image = {
      ...described,
      url: sample(name, 'photo'),
      type: SAMPLE_TYPE,
      ...SAMPLE_SIZES.photo,
      ...(isObject(image.thumbnail) && { thumbnail: { url: sample(name, 'thumb'), ...SAMPLE_SIZES.thumb } }),
    };
  }
  if (Array.isArray(article.media)) {
    result.media = article.media.map((item: unknown) => {
      if (!isObject(item)) return item;
      const { length: _length, ...described } = item;
      if (typeof item.url === 'string' && SEED_VIDEO.test(item.url)) {
        const poster = typeof item.poster === 'string' ? SEED_PICTURE.exec(item.poster) : null;
        const { width, height, seconds } = SAMPLE_VIDEO;
        return {
          ...described,
          url: `${baseUrl}${SAMPLES_PATH}${SAMPLE_VIDEO.file}`,
          type: SAMPLE_VIDEO.type,
          width,
          height,
          duration: seconds,
          ...(poster !== null && { poster: sample(poster[1] ?? '', 'poster') }),
        };
      }
      const picture = typeof item.url === 'string' ? SEED_PICTURE.exec(item.url) : null;
      if (picture === null) return item;
      return {
        ...described,
        url: sample(picture[1] ?? '', 'photo'),
        type: SAMPLE_TYPE,
        ...SAMPLE_SIZES.photo,
      };
    });
  }
  return result;
}

/**
 * Writes the sample newsroom, moving every date so that the newest article
 * is minutes old and the scheduled ones are still hours ahead, pointing its
 * pictures at the sample picture files; then each edition's Top Stories.
 */
export async function seedNewsroom(deps: ArticleServiceDeps, articles = loadSeedArticles()): Promise<number> {
  const shift = deps.clock().getTime() - SEED_ANCHOR;
  for (const seeded of articles) {
    const { id, ...article } = withSamplePhotos(seeded, deps.config.baseUrl);
    const publishedAt = new Date(Date.parse(seeded.publishedAt) + shift).toISOString();
    await putArticle(deps, id, { ...article, publishedAt });
  }
  const seeded = new Set(articles.map((a) => a.id));
  for (const [edition, ids] of Object.entries(loadSeedTopStories())) {
    if (!deps.config.editions.some((e) => e.id === edition)) continue;
    await putTopStories(deps, edition, { articles: ids.filter((id) => seeded.has(id)) });
  }
  return articles.length;
}
