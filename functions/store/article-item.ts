import { brotliCompress, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Article } from '../core/article.ts';
import { fromAttributes } from './attributes.ts';
import { type ItemKey, keys } from './keys.ts';

type Item = Record<string, AttributeValue>;

/**
 * Documents up to this many bytes of JSON are compressed at Brotli's best
 * quality (11); larger ones at quality 5. Quality 11 makes a realistic
 * article's item 23 % smaller than gzip did (measured by `npm run bench`),
 * which decides whether it reads as one 4 KB unit or two; it compresses about
 * 1 MB of JSON a second, so it is kept for documents that take tens of
 * milliseconds. Above 64 KiB an item spans 16 read units or more, quality 11
 * would cost seconds on a 256 MB function for the largest article, and
 * quality 5 is as small as gzip and as fast.
 */
export const BEST_QUALITY_UP_TO_BYTES = 64 * 1024;

/**
 * An article as Brotli-compressed JSON, at the quality its size calls for.
 * Compressed off the event loop (on libuv's thread pool): quality 11 takes
 * milliseconds, during which the local server goes on answering other requests.
 */
function compress(article: Article): Promise<Uint8Array> {
  const json = Buffer.from(JSON.stringify(article));
  const params = {
    [constants.BROTLI_PARAM_QUALITY]: json.length <= BEST_QUALITY_UP_TO_BYTES ? 11 : 5,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
  };
  return new Promise((resolve, reject) =>
    brotliCompress(json, { params }, (error, bytes) => (error === null ? resolve(bytes) : reject(error))),
  );
}

/**
 * Whether an item needs `publicChangeAt` beside the compressed article. Not when
 * it is the version's own `updatedAt` and the version was public when written
 * (the usual write): readers of the attribute take `updatedAt` when it is
 * absent and the article is published, which is then the same time. Saves its
 * 40 bytes on almost every item, half a read unit on a page of 50.
 */
function publicChangeNeeded(article: Article): boolean {
  const { publicChangeAt, updatedAt, publishedAt } = article;
  return publicChangeAt !== undefined && (publicChangeAt !== updatedAt || publishedAt > updatedAt);
}

/**
 * An article version as an item: the whole article as Brotli-compressed JSON
 * in `br`, plus the few attributes that conditions and Top Stories' ETags read
 * without decoding it (`version`, `publishedAt`, `updatedAt`, `withdrawnAt`,
 * and `publicChangeAt` where `updatedAt` does not tell it).
 * A revision also carries `headline`, which the revision list shows; the
 * current version does not, since every byte of it is read on each feed page.
 * `storedAs`: the Brotli bytes this version was read as, written again as they
 * are rather than compressed anew.
 */
export async function articleItem(key: ItemKey, article: Article, storedAs?: Uint8Array): Promise<Item> {
  const item: Item = {
    pk: { S: key.pk },
    sk: { S: key.sk },
    version: { N: String(article.version) },
    publishedAt: { S: article.publishedAt },
    updatedAt: { S: article.updatedAt },
    br: { B: storedAs ?? (await compress(article)) },
  };
  if (key.sk !== keys.currentSort) item.headline = { S: article.headline };
  if (article.withdrawnAt !== undefined) item.withdrawnAt = { S: article.withdrawnAt };
  if (publicChangeNeeded(article)) item.publicChangeAt = { S: article.publicChangeAt! };
  return item;
}

/**
 * The article an item holds, in any form the store has written: Brotli
 * (`br`), gzip (`doc`, before Brotli), or plain attributes (the oldest).
 */
export function articleOf(item: Item): Article {
  const { br, doc } = item;
  const json =
    br?.B !== undefined ? brotliDecompressSync(br.B) : doc?.B !== undefined ? gunzipSync(doc.B) : undefined;
  if (json !== undefined) return JSON.parse(json.toString('utf8')) as Article;
  const { pk: _pk, sk: _sk, ...value } = fromAttributes(item);
  return value as unknown as Article;
}
