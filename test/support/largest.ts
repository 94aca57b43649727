import { LIMITS } from '../../functions/core/article.ts';

/** A deterministic pseudo-random source, so the largest article is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Text that is hard on every limit at once: characters that XML and JSON
 * escape (and HTML sanitising turns into references), multi-byte letters
 * that do not compress, quotes and backslashes that the Lambda response's
 * JSON escapes again.
 */
function hardText(next: () => number, characters: number, maxBytes = Number.POSITIVE_INFINITY): string {
  const pieces = ['&', '<', '>', '"', "'", '\\', ' '];
  let text = '';
  let bytes = 0;
  for (let i = 0; i < characters; i++) {
    const roll = next();
    const piece =
      roll < 0.35
        ? pieces[Math.floor(next() * pieces.length)]!
        : String.fromCodePoint(0x4e00 + Math.floor(next() * 0x5000));
    const size = Buffer.byteLength(piece);
    if (bytes + size > maxBytes) break;
    text += piece;
    bytes += size;
  }
  return text;
}

function url(next: () => number, path: string): string {
  const base = `https://media.example.com/${path}/`;
  return (
    base +
    'x'.repeat(LIMITS.url - base.length - 8) +
    Math.floor(next() * 1e8)
      .toString(36)
      .padStart(8, '0')
  );
}

/**
 * The largest article the write API accepts: every field at its maximum, in
 * every edition (editions omitted), ten writers and twenty topics with feeds
 * of their own, twenty videos, and a 200 KB body of text that grows when
 * escaped. `seed` varies the text (and so the compression) between copies.
 */
export function largestArticle(
  seed: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const next = random(seed);
  const bodyRoom = LIMITS.bodyBytes - '<p></p>'.length;
  return {
    headline: `${seed} ${hardText(next, LIMITS.headline)}`.slice(0, LIMITS.headline).replace(/[<>&]/g, 'x'),
    summary: hardText(next, LIMITS.summary).replace(/[<>]/g, '"'),
    body: `<p>${hardText(next, LIMITS.bodyBytes, bodyRoom)}</p>`,
    url: url(next, 'story'),
    section: 'world',
    topics: Array.from({ length: LIMITS.topics }, (_, i) =>
      `Topic ${seed}-${i} ${'t'.repeat(LIMITS.topic - 20)}`.slice(0, LIMITS.topic),
    ),
    byline: Array.from({ length: LIMITS.bylines }, (_, i) => ({
      id: `writer-${seed}-${i}`,
      name: `Writer ${i} ${hardText(next, LIMITS.name)}`.slice(0, LIMITS.name).replace(/[<>&]/g, 'x'),
      title: hardText(next, LIMITS.title).replace(/[<>&]/g, '"'),
      url: url(next, `writer-${i}`),
    })),
    image: {
      url: url(next, 'photo'),
      caption: hardText(next, LIMITS.caption).replace(/[<>&]/g, '"'),
      credit: hardText(next, LIMITS.credit).replace(/[<>&]/g, '"'),
      width: LIMITS.imageDimension,
      height: LIMITS.imageDimension,
      type: 'image/jpeg',
      length: 2 ** 40,
      thumbnail: { url: url(next, 'thumb'), width: LIMITS.imageDimension, height: LIMITS.imageDimension },
    },
    media: Array.from({ length: LIMITS.media }, (_, i) => ({
      url: url(next, `video-${i}`),
      type: 'video/mp4',
      caption: hardText(next, LIMITS.caption).replace(/[<>&]/g, '"'),
      credit: hardText(next, LIMITS.credit).replace(/[<>&]/g, '"'),
      width: LIMITS.imageDimension,
      height: LIMITS.imageDimension,
      duration: LIMITS.duration,
      poster: url(next, `poster-${i}`),
      length: 2 ** 40,
    })),
    language: 'zh-Hant-TW',
    ...overrides,
  };
}
