/**
 * How articles are stored, measured: the items of one page of realistic
 * articles under gzip (as the store wrote them before) and Brotli at several
 * qualities — their sizes, the read units a feed page's BatchGetItem of them
 * costs, and the CPU time to compress one article (a write) and decompress a
 * page of them (a miss) — and the largest article's compression, which is why
 * quality 11 stops at 64 KiB.
 */
import assert from 'node:assert/strict';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { articleItem } from '../functions/store/article-item.ts';
import { itemSize } from '../functions/store/item-size.ts';
import { keys } from '../functions/store/keys.ts';
import { storedFrom } from '../test/support/articles.ts';
import { largestArticle } from '../test/support/largest.ts';
import { batchGetUnits } from './capacity.ts';
import { interleaveTimed, type Range, range, type TimedFigure, timedFigures } from './measure.ts';

type Item = Record<string, AttributeValue>;

/** One way of storing the page's articles. */
export interface Encoding {
  name: string;
  itemBytes: Range;
  /** Read request units of a BatchGetItem of the page's items, eventually consistent. */
  pageReadUnits: number;
  /** Items that fit one 4 KB read unit. */
  withinOneUnit: number;
}

/** Results of the stored-articles section. */
export interface StoredResult {
  encodings: Encoding[];
  /** CPU and wall time: compressing the page's articles one by one, and decompressing and parsing them. */
  timing: TimedFigure[];
  largest: { jsonBytes: number; variants: { name: string; bytes: number; cpuMs: Range }[] };
}

const brotli = (json: Buffer, quality: number) =>
  brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });

/** The attributes every article item has beside its compressed JSON. */
function attributes(article: Article): Item {
  const { pk, sk } = keys.article(article.id);
  return {
    pk: { S: pk },
    sk: { S: sk },
    version: { N: String(article.version) },
    publishedAt: { S: article.publishedAt },
    updatedAt: { S: article.updatedAt },
  };
}

/** The item as the store wrote it before Brotli: gzipped JSON in `doc`, and the headline. */
function gzipItem(article: Article): Item {
  return {
    ...attributes(article),
    headline: { S: article.headline },
    doc: { B: gzipSync(JSON.stringify(article)) },
  };
}

/** The current item with the article compressed at `quality`. */
function brotliItem(article: Article, quality: number): Item {
  return { ...attributes(article), br: { B: brotli(Buffer.from(JSON.stringify(article)), quality) } };
}

/** Runs the section on one page of articles. */
export async function benchStored(
  config: SiteConfig,
  articles: readonly Article[],
  options: { rounds: number; iterations: number },
): Promise<StoredResult> {
  const variants: {
    name: string;
    item: (a: Article) => Item | Promise<Item>;
    decode: (i: Item) => unknown;
  }[] = [
    {
      name: 'gzip, with headline (before)',
      item: gzipItem,
      decode: (i) => JSON.parse(gunzipSync(i.doc!.B!).toString('utf8')),
    },
    ...[5, 9, 10].map((quality) => ({
      name: `Brotli ${quality}`,
      item: (a: Article) => brotliItem(a, quality),
      decode: (i: Item) => JSON.parse(brotliDecompressSync(i.br!.B!).toString('utf8')),
    })),
    {
      name: 'Brotli 11 (as stored now)',
      item: (a: Article) => articleItem(keys.article(a.id), a),
      decode: (i: Item) => JSON.parse(brotliDecompressSync(i.br!.B!).toString('utf8')),
    },
  ];
  // The store's item is the bench's quality 11, byte for byte: what is measured is what is stored.
  const sample = articles[0]!;
  assert.deepEqual(await articleItem(keys.article(sample.id), sample), brotliItem(sample, 11));

  const encodings: Encoding[] = [];
  const items = new Map<string, Item[]>();
  /** The page's items one by one, as the articles function writes them: one article per request. */
  const itemsOf = async (variant: (typeof variants)[number]) => {
    const page: Item[] = [];
    for (const article of articles) page.push(await variant.item(article));
    return page;
  };
  for (const variant of variants) {
    const page = await itemsOf(variant);
    items.set(variant.name, page);
    const sizes = page.map(itemSize);
    encodings.push({
      name: variant.name,
      itemBytes: range(sizes),
      pageReadUnits: batchGetUnits(sizes, 'eventual'),
      withinOneUnit: sizes.filter((s) => s <= 4096).length,
    });
  }

  const timing = timedFigures(
    await interleaveTimed(
      variants.flatMap((variant) => [
        { name: `compress 50 articles: ${variant.name}`, run: () => itemsOf(variant) },
        {
          name: `decompress and parse 50: ${variant.name}`,
          run: () => {
            for (const item of items.get(variant.name)!) variant.decode(item);
          },
        },
      ]),
      { rounds: options.rounds, iterations: options.iterations, warmup: 1 },
    ),
  );

  const largest = storedFrom(largestArticle(1), 'largest', config, new Date('2026-11-28T00:00:00Z'));
  const json = Buffer.from(JSON.stringify(largest));
  const largestRounds = await interleaveTimed(
    [
      { name: 'gzip', run: () => gzipSync(json) },
      { name: 'Brotli 5 (as stored now)', run: () => brotli(json, 5) },
      { name: 'Brotli 11', run: () => brotli(json, 11) },
    ],
    { rounds: options.rounds, iterations: 1, warmup: 0 },
  );
  const sizes: Record<string, number> = {
    gzip: gzipSync(json).length,
    'Brotli 5 (as stored now)': brotli(json, 5).length,
    'Brotli 11': brotli(json, 11).length,
  };
  return {
    encodings,
    timing,
    largest: {
      jsonBytes: json.length,
      variants: timedFigures(largestRounds).map((f) => ({
        name: f.name,
        bytes: sizes[f.name]!,
        cpuMs: f.cpu,
      })),
    },
  };
}
