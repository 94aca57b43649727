import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { header } from './request.ts';
import type { HttpEvent } from './types.ts';

/** The content codings responses are sent in (RFC 9110 §8.4.1), best first. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * Brotli quality and gzip level, chosen by measurement on feed pages (see
 * docs/deploy.md, "Compression"): Brotli 5 is within a few per cent of the
 * best ratio at a fraction of quality 11's CPU, and gzip 6 (zlib's default)
 * is where higher levels stop paying for their time.
 */
export const BROTLI_QUALITY = 5;
/** See BROTLI_QUALITY. */
export const GZIP_LEVEL = 6;

/**
 * The coding to send for a request's Accept-Encoding (RFC 9110 §12.5.3):
 * the acceptable one with the highest q-value, ties going to Brotli, then
 * gzip, then none. `identity` is acceptable unless excluded (`identity;q=0`,
 * or `*;q=0` without it); `*` stands for every coding not listed; `x-gzip`
 * is gzip; a malformed weight counts as 0. With no acceptable coding the
 * representation is sent as it is, which the RFC allows in place of a 406.
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding {
  const listed = new Map<string, number>();
  for (const member of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name = '', weight] = member.split(/;\s*q\s*=/).map((part) => part.trim());
    const q = weight === undefined ? 1 : /^[01](\.\d{0,3})?$/.test(weight) ? Math.min(1, Number(weight)) : 0;
    const coding = name === 'x-gzip' ? 'gzip' : name;
    // A coding listed twice keeps its best weight.
    if (coding !== '') listed.set(coding, Math.max(q, listed.get(coding) ?? 0));
  }
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const q = listed.get(coding) ?? listed.get('*') ?? (coding === 'identity' ? 1 : 0);
    if (q > bestWeight) [best, bestWeight] = [coding, q];
  }
  return best;
}

/** The coding a request asks for, from its Accept-Encoding header. */
export function codingFor(event: HttpEvent): ContentCoding {
  return negotiateCoding(header(event, 'accept-encoding'));
}

/**
 * The strong ETag of one coding of a representation whose identity ETag is
 * `etag`: the same for identity, a distinct tag per coding otherwise, since
 * a strong ETag promises the bytes (RFC 9110 §8.8.3) and compressed bytes
 * differ from the text. Derived from the identity tag, so a plan's tag
 * gives every coding's before anything is rendered or compressed.
 */
export function codedEtag(etag: string, coding: ContentCoding): string {
  if (coding === 'identity') return etag;
  // Compressed bytes are only as stable as the compressor: its name, level and version are in the tag.
  const codec =
    coding === 'br'
      ? `br${BROTLI_QUALITY}-${process.versions.brotli}`
      : `gz${GZIP_LEVEL}-${process.versions.zlib}`;
  return `${etag.slice(0, -1)}.${codec}"`;
}

/** A body in one coding, as Lambda returns it: text as is, compressed bytes base64-encoded. */
export interface EncodedBody {
  body: string;
  isBase64Encoded: boolean;
}

/** Encodes a text body in a coding. */
export function encodeBody(text: string, coding: ContentCoding): EncodedBody {
  if (coding === 'identity') return { body: text, isBase64Encoded: false };
  const bytes = Buffer.from(text, 'utf8');
  const compressed =
    coding === 'br'
      ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } })
      : gzipSync(bytes, { level: GZIP_LEVEL });
  return { body: compressed.toString('base64'), isBase64Encoded: true };
}
