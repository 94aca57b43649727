/**
 * The User-Agent recognisers against the formats the readers publish (each
 * row of the table names its source), and the rules for what is left out:
 * crawlers, browsers, services that report no count, unknown families.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ClientSketch, EXACT_LIMIT, SKETCH_STANDARD_ERROR } from '../../functions/core/client-sketch.ts';
import { classifyUserAgent, RECOGNISERS, userAgentFamily } from '../../functions/core/user-agents.ts';

describe('User-Agent recognisers', () => {
  test('hosted readers: their count and feed id, as each publishes its User-Agent', () => {
    const cases: [string, string, number, string][] = [
      ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )', 'Feedly', 462, '-'],
      ['Feedly/1.0 (+https://feedly.com/fetcher.html; 1 subscriber)', 'Feedly', 1, '-'],
      // Inoreader's own page (inoreader.com/feed-fetcher), and the older format publishers still log.
      ['Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )', 'Inoreader', 3, '-'],
      ['Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)', 'Inoreader', 114, '-'],
      [
        'NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/newswire ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
        'NewsBlur',
        27,
        '7704055',
      ],
      ['NewsBlur Feed Fetcher - 1 subscriber - https://www.newsblur.com/site/42/x', 'NewsBlur', 1, '42'],
      ['Feedbin feed-id:1697787 - 102 subscribers', 'Feedbin', 102, '1697787'],
      [
        'Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=0719795c4d27c784217b0bc0)',
        'The Old Reader',
        1,
        '0719795c4d27c784217b0bc0',
      ],
      ['Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 2 subscribers)', 'BazQux', 2, '-'],
      [
        'PlainFeeder v0.0.1 (+http://plainfeeder.com/about ; Subscriber Count: 1,204)',
        'PlainFeeder',
        1204,
        '-',
      ],
      // The Google Reader convention any service may follow (FeedPress's "How to be a good feed fetcher").
      [
        'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 16 subscribers; feed-id=12310981209483785)',
        'Google Feedfetcher',
        16,
        '12310981209483785',
      ],
      [
        'Overcast/1.0 Podcast Sync (123 subscribers; feed-id=456789; +http://overcast.fm/)',
        'Overcast',
        123,
        '456789',
      ],
    ];
    for (const [ua, name, subscribers, feedId] of cases) {
      assert.deepEqual(classifyUserAgent(ua), { kind: 'hosted', name, subscribers, feedId }, ua);
    }
  });

  test('readers on a device or one install count once per distinct client', () => {
    const cases: [string, string][] = [
      ['NetNewsWire (RSS Reader; https://netnewswire.com/)', 'NetNewsWire'],
      ['Newsboat/2.21 (Linux x86_64)', 'Newsboat'],
      ['SpaceCowboys Android RSS Reader / 2.13.0(3764)', 'Feeder'],
      ['Tiny Tiny RSS/23.05-a4543de (Unsupported) (https://tt-rss.org/)', 'Tiny Tiny RSS'],
      ['Mozilla/5.0 (compatible; Miniflux/2.2.4; +https://miniflux.app)', 'Miniflux'],
      ['FreshRSS/1.24.0 (Linux; https://freshrss.org)', 'FreshRSS'],
      ['Reeder/5050.1 CFNetwork/1494.0.7 Darwin/23.4.0', 'Reeder'],
      ['Liferea/1.13.5 (Linux; en_US; https://lzone.de/liferea/)', 'Liferea'],
      ['Akregator/5.24.0 (23.08.0); syndication', 'Akregator'],
      ['Fiery%20Feeds/572 CFNetwork/3860.100.1 Darwin/25.0.0', 'Fiery Feeds'],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0', 'Thunderbird'],
    ];
    for (const [ua, name] of cases) assert.deepEqual(classifyUserAgent(ua), { kind: 'reader', name }, ua);
  });

  test('services without a count, crawlers, browsers and unknown clients are left out, by family', () => {
    const cases: [string, string, string][] = [
      ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)', 'aggregator', 'Feedly'],
      ['FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)', 'aggregator', 'Google Feedfetcher'],
      [
        'Mozilla/5.0 (compatible; FlipboardRSS/1.2; +http://flipboard.com/browserproxy)',
        'aggregator',
        'Flipboard',
      ],
      ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'crawler', 'Googlebot'],
      [
        'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
        'crawler',
        'Bingbot',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 (compatible; Google-Read-Aloud; +https://support.google.com/webmasters/answer/1061943)',
        'crawler',
        'Google-Read-Aloud',
      ],
      ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 'crawler', 'AhrefsBot'],
      [
        'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
        'crawler',
        'Link previews',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        'browser',
        'Edge',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
        'browser',
        'Safari',
      ],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'browser', 'Firefox'],
      ['curl/8.5.0', 'unknown', 'curl'],
      ['python-requests/2.32.3', 'unknown', 'python-requests'],
      [
        'Mozilla/5.0 (compatible; SomeReader/2.0; +https://somereader.example/bot-info)',
        'unknown',
        'SomeReader',
      ],
      ['', 'unknown', '(none)'],
    ];
    for (const [ua, kind, name] of cases) assert.deepEqual(classifyUserAgent(ua), { kind, name }, ua);
  });

  test('families are bounded and plain, whatever a client sends', () => {
    assert.equal(userAgentFamily('Some Reader v2.1 (Linux)'), 'Some Reader');
    assert.equal(userAgentFamily(`${'x'.repeat(500)}/1.0`).length, 40);
    assert.equal(userAgentFamily('<script>alert(1)</script>'), 'scriptalert');
    // A count beyond any reader's is not believed.
    assert.equal(classifyUserAgent('Evil/1.0 (99999999999 subscribers)').kind, 'unknown');
  });

  test('every recogniser names the page or source of its format', () => {
    for (const r of RECOGNISERS) assert.match(r.source, /^https:\/\//, r.name);
    assert.equal(new Set(RECOGNISERS.map((r) => r.name)).size, RECOGNISERS.length);
  });
});

describe('client sketches', () => {
  /** A 64-bit client hash, spread as the HMAC the estimate uses. */
  const hash = (n: number) => createHash('sha256').update(String(n)).digest().subarray(0, 8);

  test('exact up to the limit, idempotent and order-free when merged', () => {
    const a = ClientSketch.empty();
    const b = ClientSketch.empty();
    for (let i = 0; i < EXACT_LIMIT; i++) (i % 2 ? a : b).add(hash(i));
    a.add(hash(0));
    const union = ClientSketch.decode(a.encode());
    union.merge(b);
    union.merge(b);
    assert.equal(union.count(), EXACT_LIMIT);
    assert.ok(union.encode().length <= 1 + 8 * EXACT_LIMIT);
  });

  test('beyond the limit, 1 KB and within a few standard errors of the truth', () => {
    for (const n of [500, 5_000, 50_000]) {
      const sketch = ClientSketch.empty();
      for (let i = 0; i < n; i++) sketch.add(hash(i));
      const stored = ClientSketch.decode(sketch.encode());
      assert.equal(stored.encode().length, 1025);
      const error = Math.abs(stored.count() - n) / n;
      assert.ok(error < 4 * SKETCH_STANDARD_ERROR, `${n}: counted ${stored.count()}`);
    }
  });
});
