/**
 * Content negotiation and compression of public documents: the coding an
 * Accept-Encoding asks for (RFC 9110 §12.5.3), one strong ETag per coding
 * (RFC 9110 §8.8.3: a strong tag promises the bytes), and a 304 answered
 * from a plan's validators with neither a render nor a compression.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  cacheableResponse,
  FEED_CACHE,
  type PlannedDocument,
  PUBLIC_CACHE,
  plannedResponse,
  SHARED_MAX_AGE_SECONDS,
  STALE_IF_ERROR_SECONDS,
} from '../../functions/http/conditional.ts';
import { codedEtag, negotiateCoding } from '../../functions/http/encoding.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { httpEvent } from '../support/events.ts';

const TEXT = `<rss>${'<item><title>Markets rally as the euro steadies</title></item>'.repeat(200)}</rss>`;

function decoded(result: HttpResult): string {
  const bytes = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body, 'utf8');
  switch (result.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(bytes).toString('utf8');
    case 'gzip':
      return gunzipSync(bytes).toString('utf8');
    default:
      return bytes.toString('utf8');
  }
}

describe('Accept-Encoding', () => {
  test('the acceptable coding with the highest q-value; ties to Brotli, then gzip, then none', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['gzip, deflate', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br,gzip', 'br'],
      ['BR;Q=1, GZIP', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip;q=0.2, identity;q=0.5', 'identity'],
      ['br;q=0, gzip;q=0', 'identity'],
      ['*', 'br'],
      ['*;q=0.1, gzip;q=0.5', 'gzip'],
      ['deflate, zstd', 'identity'],
      ['identity', 'identity'],
      // Nothing acceptable (identity excluded, no coding we have): the text as it is, not a 406.
      ['identity;q=0', 'identity'],
      ['*;q=0', 'identity'],
      ['br;q=abc, gzip', 'gzip'],
      // identity, not listed, keeps its default q=1: low-weighted codings lose to it.
      ['gzip;q=0.001, br;q=0.002', 'identity'],
      ['gzip;q=0.001, br;q=0.002, identity;q=0', 'br'],
    ];
    for (const [header, coding] of cases) assert.equal(negotiateCoding(header), coding, String(header));
  });
});

describe('compressed responses', () => {
  test('each coding has its own strong ETag, Content-Encoding and Vary, and decodes to the same text', () => {
    const tags = new Set<string>();
    for (const coding of ['br', 'gzip', 'identity']) {
      const result = cacheableResponse(
        httpEvent('GET', '/opml.xml', { headers: { 'accept-encoding': coding } }),
        TEXT,
        'text/x-opml; charset=utf-8',
        undefined,
      );
      assert.equal(result.statusCode, 200);
      assert.equal(result.headers['content-encoding'], coding === 'identity' ? undefined : coding);
      assert.equal(result.headers.vary, 'Accept-Encoding');
      assert.equal(result.isBase64Encoded ?? false, coding !== 'identity');
      assert.equal(decoded(result), TEXT);
      assert.match(result.headers.etag ?? '', /^"[^"]+"$/, 'strong');
      tags.add(result.headers.etag ?? '');
      if (coding !== 'identity') assert.ok(result.body.length < TEXT.length / 4, 'compressed');
    }
    assert.equal(tags.size, 3);
  });

  test('If-None-Match matches the tag of the coding asked for, not another coding’s', () => {
    const event = (headers: Record<string, string>) => httpEvent('GET', '/opml.xml', { headers });
    const gzip = cacheableResponse(event({ 'accept-encoding': 'gzip' }), TEXT, 'text/x-opml', undefined);
    const again = cacheableResponse(
      event({ 'accept-encoding': 'gzip', 'if-none-match': gzip.headers.etag! }),
      TEXT,
      'text/x-opml',
      undefined,
    );
    assert.equal(again.statusCode, 304);
    assert.equal(again.headers.etag, gzip.headers.etag);
    assert.equal(again.headers['content-encoding'], undefined, 'a 304 carries no representation metadata');
    const other = cacheableResponse(
      event({ 'accept-encoding': 'br', 'if-none-match': gzip.headers.etag! }),
      TEXT,
      'text/x-opml',
      undefined,
    );
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['content-encoding'], 'br');
  });

  test('a plan answers a revalidation of any coding with 304, and HEAD, without rendering or compressing', async () => {
    let renders = 0;
    const plan: PlannedDocument = {
      etag: '"planned"',
      lastModified: new Date('2026-11-27T10:00:00Z'),
      asOf: new Date('2026-11-27T12:00:00Z'),
      render: async () => {
        renders++;
        return { body: TEXT, etag: '"planned"', lastModified: new Date('2026-11-27T10:00:00Z') };
      },
    };
    for (const coding of ['br', 'gzip']) {
      const etag = codedEtag('"planned"', coding as 'br' | 'gzip');
      const result = await plannedResponse(
        httpEvent('GET', '/europe/atom.xml', {
          headers: { 'accept-encoding': coding, 'if-none-match': etag },
        }),
        plan,
        'application/atom+xml; charset=utf-8',
      );
      assert.equal(result.statusCode, 304);
      assert.equal(result.headers.etag, etag);
      const head = await plannedResponse(
        httpEvent('HEAD', '/europe/atom.xml', { headers: { 'accept-encoding': coding } }),
        plan,
        'application/atom+xml; charset=utf-8',
      );
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers['content-encoding'], coding);
      assert.equal(head.body, '');
    }
    assert.equal(renders, 0);
    const full = await plannedResponse(
      httpEvent('GET', '/europe/atom.xml', { headers: { 'accept-encoding': 'gzip, br' } }),
      plan,
      'application/atom+xml; charset=utf-8',
    );
    assert.equal(renders, 1);
    assert.equal(full.headers.etag, codedEtag('"planned"', 'br'));
    assert.equal(decoded(full), TEXT);
  });
});

describe('Cache-Control', () => {
  test('feeds and pages say the shared lifetime and stale-if-error the constants name', () => {
    assert.equal(STALE_IF_ERROR_SECONDS, 300);
    assert.match(
      FEED_CACHE,
      new RegExp(
        `^public, max-age=60, s-maxage=${SHARED_MAX_AGE_SECONDS}, stale-if-error=${STALE_IF_ERROR_SECONDS}$`,
      ),
    );
    assert.match(PUBLIC_CACHE, new RegExp(`, stale-if-error=${STALE_IF_ERROR_SECONDS}$`));
  });
});
