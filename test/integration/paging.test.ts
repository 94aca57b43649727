import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { putArticle, withdrawArticle } from '../../functions/core/articles.ts';
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
  const match = /<(?:atom:)?link rel="next" href="([^"]+)"\/>/.exec(body);
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

  // Cursors are checked against the feed itself (the entry they name must be, or have been, in it), so a
  // well-formed cursor the server never issued is a 400 like a malformed one. One dated in the future used
  // to start at the newest item; it is refused now, as checking it would tell whether a scheduled story
  // sits at that position.
  test('a cursor the feed never issued is a 400 naming `after`, well-formed or not, past or future', async () => {
    for (const after of [
      'bm9wZQ',
      '',
      '%%%',
      encodeCursor({ publishedAt: '2026-11-27', id: 'x' }),
      encodeCursor({ publishedAt: '2026-11-27T09:30:00.000Z', id: 'story-999' }),
      encodeCursor({ publishedAt: '2026-11-27T09:31:00.000Z', id: 'story-060' }),
      encodeCursor({ publishedAt: '2099-01-01T00:00:00.000Z', id: 'story-999' }),
      encodeCursor({ publishedAt: new Date(deps.clock().getTime() + 1).toISOString(), id: 'story-999' }),
    ]) {
      const result = await feeds(httpEvent('GET', '/africa/health/rss.xml', { query: { after } }));
      assert.equal(result.statusCode, 400, `${after}: ${result.body}`);
      assert.equal(JSON.parse(result.body).errors[0].field, 'after');
      assert.match(JSON.parse(result.body).errors[0].message, /not a cursor this feed issued/);
    }
    // The same position in another feed: a cursor belongs to the feed that issued it.
    const first = await feeds(httpEvent('GET', '/africa/health/feed.json'));
    const issued = new URL(nextLink('json', first.body)!).searchParams.get('after')!;
    const elsewhere = await feeds(httpEvent('GET', '/europe/feed.json', { query: { after: issued } }));
    assert.equal(elsewhere.statusCode, 400);
    const here = await feeds(httpEvent('GET', '/africa/health/feed.json', { query: { after: issued } }));
    assert.equal(here.statusCode, 200);
  });

  test('a page-2 URL the feed issued keeps working after the story it ends on is withdrawn or moved', async () => {
    const first = await feeds(httpEvent('GET', '/africa/health/feed.json'));
    const next = new URL(nextLink('json', first.body)!);
    const after = next.searchParams.get('after')!;
    const before = await feeds(httpEvent('GET', '/africa/health/feed.json', { query: { after } }));
    const lastOnPageOne = idsOf('json', first.body).at(-1)!.split(':article:')[1]!;
    await withdrawArticle(deps, lastOnPageOne);
    const later = await feeds(httpEvent('GET', '/africa/health/feed.json', { query: { after } }));
    assert.equal(later.statusCode, 200, later.body);
    assert.deepEqual(idsOf('json', later.body), idsOf('json', before.body));
    await putArticle(deps, lastOnPageOne, sampleArticle({ editions: ['asia'], section: 'health' }));
    const moved = await feeds(httpEvent('GET', '/africa/health/feed.json', { query: { after } }));
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(idsOf('json', moved.body), idsOf('json', before.body));
  });

  test('the table invariant holds after every write above', async () => {
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });
});
