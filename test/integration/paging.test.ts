import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { putArticle } from '../../functions/core/articles.ts';
import { encodeCursor } from '../../functions/core/feed-pages.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertTableInvariant } from '../support/invariant.ts';
import { xmlError } from '../support/xml-parse.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let feeds: ReturnType<typeof createFeedsHandler>;
let published = 0;

async function publish(count: number, at: (i: number) => Date): Promise<void> {
  for (let n = 0; n < count; n++, published++) {
    const id = `story-${String(published).padStart(3, '0')}`;
    await putArticle(
      deps,
      id,
      sampleArticle({ editions: ['africa'], section: 'health', publishedAt: at(n).toISOString() }),
    );
  }
}

before(async () => {
  deps = await freshDeps('2026-11-27T12:00:00Z');
  feeds = createFeedsHandler(() => deps);
  // 130 articles, one a minute before noon, some sharing a publication time to test the tie-break on id.
  await publish(130, (i) => new Date(Date.parse('2026-11-27T09:00:00Z') + Math.floor(i / 2) * 60_000));
});

function nextLink(format: 'rss' | 'atom' | 'json', body: string): string | undefined {
  if (format === 'json') return (JSON.parse(body) as { next_url?: string }).next_url;
  // RSS writes href first (its next link comes before the items), Atom rel first.
  const match = /<(?:atom:)?link (?=[^>]*rel="next")[^>]*href="([^"]+)"/.exec(body);
  return match?.[1]?.replaceAll('&amp;', '&');
}

function idsOf(format: 'rss' | 'atom' | 'json', body: string): string[] {
  if (format === 'json') return (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id);
  return [...body.matchAll(/<(?:guid[^>]*|id)>(tag:[^<]*:article:[^<]+)<\/(?:guid|id)>/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('RFC 5005 paging', () => {
  for (const format of ['rss', 'atom', 'json'] as const) {
    test(`a reader walking every ${format} page sees each article once while new ones arrive`, async () => {
      const file = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[format];
      const seen: string[] = [];
      let url: string | undefined = `/africa/health/${file}`;
      let pages = 0;
      const before = published;
      while (url !== undefined) {
        const parsed = new URL(url, 'https://news.example.com');
        const after = parsed.searchParams.get('after');
        const result = await feeds(
          httpEvent('GET', parsed.pathname, after === null ? {} : { query: { after } }),
        );
        assert.equal(result.statusCode, 200, result.body);
        if (format !== 'json') assert.equal(xmlError(result.body), undefined);
        seen.push(...idsOf(format, result.body));
        url = nextLink(format, result.body);
        pages++;
        // Newer articles arrive between page fetches (10 over the walk of the first feed).
        deps.clock.advance(60_000);
        if (published < 140) await publish(5, () => deps.clock());
      }
      assert.equal(new Set(seen).size, seen.length, 'no article twice');
      assert.equal(seen.length, before, 'every article that was there when the walk began');
      assert.ok(pages >= 3, `${pages} pages`);
    });
  }

  test('pages are newest first and the last page has no next link', async () => {
    const first = await feeds(httpEvent('GET', '/africa/health/feed.json'));
    const items = (JSON.parse(first.body) as { items: { date_published: string }[] }).items;
    assert.equal(items.length, deps.config.pageSize);
    const dates = items.map((i) => i.date_published);
    assert.deepEqual(dates, [...dates].sort().reverse());
    const next = (JSON.parse(first.body) as { next_url: string }).next_url;
    const second = await feeds(
      httpEvent('GET', '/africa/health/feed.json', {
        query: { after: new URL(next).searchParams.get('after')! },
      }),
    );
    const third = (JSON.parse(second.body) as { next_url: string }).next_url;
    const last = await feeds(
      httpEvent('GET', '/africa/health/feed.json', {
        query: { after: new URL(third).searchParams.get('after')! },
      }),
    );
    const lastPage = JSON.parse(last.body) as { next_url?: string; items: unknown[] };
    assert.equal(lastPage.next_url, undefined);
    assert.ok(lastPage.items.length > 0);
  });

  test('a well-formed cursor dated in the future starts at the newest item; a forged one is a 400', async () => {
    const newest = await feeds(httpEvent('GET', '/africa/health/feed.json'));
    for (const publishedAt of [
      '2099-01-01T00:00:00.000Z',
      new Date(deps.clock().getTime() + 1).toISOString(),
    ]) {
      const after = encodeCursor({ publishedAt, id: 'story-999' });
      const result = await feeds(httpEvent('GET', '/africa/health/feed.json', { query: { after } }));
      assert.equal(result.statusCode, 200, result.body);
      const ids = (body: string) => (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id);
      assert.deepEqual(ids(result.body), ids(newest.body));
    }
    for (const after of ['bm9wZQ', '', '%%%', encodeCursor({ publishedAt: '2026-11-27', id: 'x' })]) {
      const result = await feeds(httpEvent('GET', '/africa/health/rss.xml', { query: { after } }));
      assert.equal(result.statusCode, 400, `${after}: ${result.body}`);
      assert.equal(JSON.parse(result.body).errors[0].field, 'after');
    }
  });

  test('the table invariant holds after every write above', async () => {
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });
});
