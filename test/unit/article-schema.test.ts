import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LANGUAGE_TAG_MAX } from '../../functions/core/article.ts';
import { type ParsedArticle, parseArticle, parseArticleId } from '../../functions/core/article-input.ts';
import { type FieldProblem, ValidationError } from '../../functions/core/errors.ts';
import { utf8Length } from '../../functions/core/text.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';

const NOW = new Date('2026-12-01T00:00:00Z');

/** Parses the sample article with `overrides` applied; throws when it is rejected. */
function parse(overrides: Record<string, unknown> = {}, id = 'summit'): ParsedArticle['content'] {
  return parseArticle(sampleArticle(overrides), id, config, NOW).content;
}

/** The sample article without `field`. */
function without(field: string): Record<string, unknown> {
  const { [field]: _removed, ...rest } = sampleArticle();
  return rest;
}

/** The problems reported for `input`; fails the test when the input is accepted. */
function problemsOf(input: unknown, id = 'summit'): FieldProblem[] {
  try {
    parseArticle(input, id, config, NOW);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return assert.fail('expected the article to be rejected, but it was accepted');
}

/** The problems reported for the sample article with `overrides` applied. */
function rejected(overrides: Record<string, unknown>): FieldProblem[] {
  return problemsOf(sampleArticle(overrides));
}

/** The fields named by the problems reported for `overrides`. */
function rejectedFields(overrides: Record<string, unknown>): string[] {
  return rejected(overrides).map((p) => p.field);
}

describe('headline', () => {
  test('runs of white space become one space and the ends are trimmed', () => {
    assert.equal(
      parse({ headline: '  Summit \n\t ends   with a pledge ' }).headline,
      'Summit ends with a pledge',
    );
  });

  test('300 characters are accepted, 301 are not', () => {
    assert.equal(parse({ headline: 'h'.repeat(300) }).headline.length, 300);
    assert.deepEqual(rejected({ headline: 'h'.repeat(301) }), [
      { field: 'headline', message: 'must be at most 300 characters' },
    ]);
  });

  test('the limit counts characters, not UTF-16 units: 300 astral characters are accepted', () => {
    assert.equal(parse({ headline: '𝔸'.repeat(300) }).headline, '𝔸'.repeat(300));
    assert.deepEqual(rejectedFields({ headline: '𝔸'.repeat(301) }), ['headline']);
  });

  test('the limit applies after white space is collapsed', () => {
    assert.equal(parse({ headline: `a${' '.repeat(400)}b` }).headline, 'a b');
  });

  test('a headline that is empty once cleaned is rejected', () => {
    for (const headline of ['', '   ', '\n\t', '\u0000\uFFFE']) {
      assert.deepEqual(rejected({ headline }), [{ field: 'headline', message: 'must not be empty' }]);
    }
  });

  test('a missing headline is reported as required, a non-string as the wrong type', () => {
    assert.deepEqual(problemsOf(without('headline')), [{ field: 'headline', message: 'is required' }]);
    assert.deepEqual(rejected({ headline: 42 }), [{ field: 'headline', message: 'must be a string' }]);
  });
});

describe('summary', () => {
  test('2,000 characters are accepted, 2,001 are not', () => {
    assert.equal(parse({ summary: 's'.repeat(2000) }).summary.length, 2000);
    assert.deepEqual(rejected({ summary: 's'.repeat(2001) }), [
      { field: 'summary', message: 'must be at most 2000 characters' },
    ]);
  });

  test('a summary with no text left after sanitising is rejected', () => {
    for (const summary of ['', '   ', '<script>alert(1)</script>', '<img src="/a.jpg">']) {
      assert.deepEqual(rejected({ summary }), [{ field: 'summary', message: 'must not be empty' }]);
    }
  });

  test('an empty summary is reported together with the other problems', () => {
    assert.deepEqual(rejectedFields({ summary: '', headline: '' }).sort(), ['headline', 'summary']);
  });
});

describe('body', () => {
  const limit = 200 * 1024;

  /** `<p>…</p>` of exactly `bytes` UTF-8 bytes, mostly three-byte characters. */
  function bodyOf(bytes: number): string {
    const room = bytes - '<p></p>'.length;
    const euros = Math.floor(room / 3);
    return `<p>${'€'.repeat(euros)}${'a'.repeat(room - euros * 3)}</p>`;
  }

  test('exactly 200 KB of UTF-8 with multi-byte characters is accepted', () => {
    const body = bodyOf(limit);
    assert.equal(utf8Length(body), limit);
    assert.equal(parse({ body }).body, body);
  });

  test('one byte over 200 KB is rejected, though it is far fewer characters', () => {
    const body = bodyOf(limit).replace('a</p>', 'é</p>');
    assert.equal(utf8Length(body), limit + 1);
    assert.ok(body.length < limit);
    assert.deepEqual(rejected({ body }), [
      { field: 'body', message: 'must be at most 204800 bytes of UTF-8' },
    ]);
  });
});

describe('url', () => {
  test('absolute http and https URLs are accepted and normalised', () => {
    assert.equal(parse({ url: 'http://news.example.com/a' }).url, 'http://news.example.com/a');
    assert.equal(parse({ url: ' HTTPS://News.Example.com/a b' }).url, 'https://news.example.com/a%20b');
  });

  test('other schemes and relative URLs are rejected', () => {
    for (const url of [
      'ftp://news.example.com/a',
      'javascript:alert(1)',
      'data:text/html,hi',
      'mailto:desk@example.com',
      '/2026/11/27/asia/summit/',
      'news.example.com/a',
      '',
    ]) {
      assert.deepEqual(
        rejected({ url }),
        [{ field: 'url', message: 'must be an absolute http or https URL' }],
        url,
      );
    }
  });

  test('may be left out: the article page on this site is then the story’s address', () => {
    const content = parseArticle(without('url'), 'summit', config, NOW).content;
    assert.equal(content.url, undefined);
    assert.ok(!('url' in content), 'nothing is stored for it');
  });

  test('without it, relative links in the body and summary resolve against the site', () => {
    const content = parseArticle(
      {
        ...without('url'),
        summary: 'See <a href="/europe/">the edition</a>.',
        body: '<p><a href="/asia/world/">Asia</a> and <a href="other/">a sibling</a>.</p>',
      },
      'summit',
      config,
      NOW,
    ).content;
    assert.match(content.body, new RegExp(`href="${config.baseUrl}/asia/world/"`));
    assert.match(content.body, new RegExp(`href="${config.baseUrl}/other/"`));
    assert.match(content.summary, new RegExp(`href="${config.baseUrl}/europe/"`));
  });

  test('a URL longer than 2,048 characters is rejected', () => {
    const url = `https://news.example.com/${'a'.repeat(2048)}`;
    assert.deepEqual(rejectedFields({ url }), ['url']);
  });
});

describe('section and editions', () => {
  test('the section must be one the site configures', () => {
    assert.equal(parse({ section: 'business' }).section, 'business');
    const [problem] = rejected({ section: 'weather' });
    assert.equal(problem?.field, 'section');
    assert.match(problem?.message ?? '', /must be one of world, business/);
  });

  test('editions must be configured ones, each named by its path', () => {
    assert.deepEqual(parse({ editions: ['europe'] }).editions, ['europe']);
    assert.deepEqual(rejectedFields({ editions: ['europe', 'antarctica'] }), ['editions.1']);
  });

  test('omitting editions stores no list, which means every edition', () => {
    const content = parseArticle(without('editions'), 'summit', config, NOW).content;
    assert.equal('editions' in content, false);
  });

  test('an empty editions list is rejected and says to omit the field instead', () => {
    assert.deepEqual(rejected({ editions: [] }), [
      { field: 'editions', message: 'must name at least one edition (omit the field for every edition)' },
    ]);
  });

  test('a repeated edition is rejected', () => {
    assert.deepEqual(rejected({ editions: ['asia', 'asia'] }), [
      { field: 'editions', message: 'must not repeat an edition' },
    ]);
  });
});

describe('topics', () => {
  test('20 topics are accepted, 21 are not', () => {
    const topics = Array.from({ length: 21 }, (_, i) => `Topic ${i}`);
    assert.equal(parse({ topics: topics.slice(0, 20) }).topics.length, 20);
    assert.deepEqual(rejected({ topics }), [{ field: 'topics', message: 'must have at most 20 topics' }]);
  });

  test('a topic may have 60 characters, not 61', () => {
    assert.deepEqual(parse({ topics: ['t'.repeat(60)] }).topics, ['t'.repeat(60)]);
    assert.deepEqual(rejected({ topics: ['ok', 't'.repeat(61)] }), [
      { field: 'topics.1', message: 'must be at most 60 characters' },
    ]);
  });

  test('repeated topics are stored once, in first-seen order, after white space is cleaned', () => {
    assert.deepEqual(parse({ topics: ['China', ' China ', 'Trade', 'China'] }).topics, ['China', 'Trade']);
  });

  test('omitted topics are an empty list; a non-list is rejected', () => {
    assert.deepEqual(parseArticle(without('topics'), 'summit', config, NOW).content.topics, []);
    assert.deepEqual(rejected({ topics: 'China' }), [
      { field: 'topics', message: 'must be an array of strings' },
    ]);
  });
});

describe('byline', () => {
  const writer = (i: number) => ({ name: `Writer ${i}` });

  test('10 writers are accepted, 11 are not', () => {
    assert.equal(parse({ byline: Array.from({ length: 10 }, (_, i) => writer(i)) }).byline.length, 10);
    assert.deepEqual(rejected({ byline: Array.from({ length: 11 }, (_, i) => writer(i)) }), [
      { field: 'byline', message: 'must have at most 10 writers' },
    ]);
  });

  test('every writer needs a name', () => {
    assert.deepEqual(rejected({ byline: [{ title: 'Analyst' }] }), [
      { field: 'byline.0.name', message: 'is required' },
    ]);
  });

  test("a writer's url must be absolute http or https", () => {
    assert.deepEqual(rejected({ byline: [{ name: 'Ana', url: 'javascript:alert(1)' }] }), [
      { field: 'byline.0.url', message: 'must be an absolute http or https URL' },
    ]);
  });

  test('an unknown field in a writer is named', () => {
    assert.deepEqual(rejected({ byline: [{ name: 'Ana', email: 'ana@example.com' }] }), [
      { field: 'byline.0.email', message: 'is not a known field' },
    ]);
  });

  test('an omitted byline is an empty list', () => {
    assert.deepEqual(parseArticle(without('byline'), 'summit', config, NOW).content.byline, []);
  });
});

describe('image', () => {
  const image = (fields: Record<string, unknown>) => ({
    image: { url: 'https://news.example.com/images/summit.jpg', ...fields },
  });

  test('an image needs a url, and it must be absolute http or https', () => {
    assert.deepEqual(rejected({ image: { caption: 'No photo' } }), [
      { field: 'image.url', message: 'is required' },
    ]);
    assert.deepEqual(rejectedFields(image({ url: 'javascript:alert(1)' })), ['image.url']);
  });

  test('the type must be one of the web image types', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']) {
      assert.equal(parse(image({ type })).image?.type, type);
    }
    assert.deepEqual(rejectedFields(image({ type: 'image/bmp' })), ['image.type']);
  });

  test('width and height are whole numbers from 1 to 20,000', () => {
    assert.deepEqual(parse(image({ width: 1, height: 20000 })).image, {
      url: 'https://news.example.com/images/summit.jpg',
      width: 1,
      height: 20000,
    });
    for (const bad of [0, 20001, 1.5, -1, '800']) {
      assert.deepEqual(rejectedFields(image({ width: bad, height: bad })), ['image.width', 'image.height']);
    }
  });

  test('a blank caption is left out rather than stored empty', () => {
    assert.equal('caption' in (parse(image({ caption: '  \n ' })).image ?? {}), false);
  });
});

describe('publishedAt', () => {
  test('an offset time is stored as the same instant in UTC', () => {
    assert.equal(parse({ publishedAt: '2026-11-27T11:30:00+02:00' }).publishedAt, '2026-11-27T09:30:00.000Z');
    assert.equal(
      parse({ publishedAt: '2026-11-27T04:00:00.25-05:30' }).publishedAt,
      '2026-11-27T09:30:00.250Z',
    );
  });

  test('a date-time without an offset, a date alone or another format is rejected', () => {
    for (const publishedAt of [
      '2026-11-27',
      '2026-11-27T09:30:00',
      '2026-11-27 09:30:00Z',
      '27 Nov 2026 09:30:00 GMT',
      '2026-11-27T09:30Z',
      1795253400000,
    ]) {
      assert.deepEqual(rejectedFields({ publishedAt }), ['publishedAt'], String(publishedAt));
    }
  });

  test('impossible calendar dates are rejected, not rolled over to the next month', () => {
    const accepted = [
      '2026-02-30T10:00:00Z',
      '2026-02-29T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-01-01T24:00:00Z',
    ].flatMap((publishedAt) => {
      try {
        return [`${publishedAt} was stored as ${parse({ publishedAt }).publishedAt}`];
      } catch (error) {
        if (error instanceof ValidationError) return [];
        throw error;
      }
    });
    assert.deepEqual(accepted, []);
  });

  test('29 February is accepted in a leap year', () => {
    assert.equal(parse({ publishedAt: '2024-02-29T10:00:00Z' }).publishedAt, '2024-02-29T10:00:00.000Z');
  });

  test('scheduling is allowed up to 366 days ahead and no further', () => {
    assert.equal(parse({ publishedAt: '2027-12-02T00:00:00Z' }).publishedAt, '2027-12-02T00:00:00.000Z');
    assert.deepEqual(rejected({ publishedAt: '2027-12-02T00:00:01Z' }), [
      { field: 'publishedAt', message: 'must not be more than 366 days ahead' },
    ]);
  });

  test('a time before 1970 is rejected', () => {
    assert.deepEqual(rejectedFields({ publishedAt: '1969-12-31T23:59:59Z' }), ['publishedAt']);
  });
});

describe('language', () => {
  test("an omitted language is the site's default", () => {
    assert.equal(parseArticle(without('language'), 'summit', config, NOW).content.language, config.language);
  });

  test('BCP 47 tags are accepted, anything else is rejected', () => {
    for (const language of ['en', 'en-GB', 'pt-BR', 'zh-Hant-TW', 'ast']) {
      assert.equal(parse({ language }).language, language);
    }
    for (const language of ['english', 'en_GB', 'e', '', 'en-']) {
      assert.deepEqual(rejectedFields({ language }), ['language'], language);
    }
  });

  // RFC 5646 §2.1 (syntax) and §4.4.1 (35 characters hold every tag without extensions).
  test('well-formed by RFC 5646 and at most 35 characters; the refusal says so', () => {
    for (const language of [
      'es-419',
      'sr-Latn-RS',
      'de-CH-1996',
      'zh-yue-HK',
      'sl-rozaj-biske',
      'en-US-u-ca-gregory',
      'x-whatever',
      'en-x-newsroom',
      `zh-Hant-TW-${'a'.repeat(8)}-${'b'.repeat(8)}`,
      // Exactly LANGUAGE_TAG_MAX characters; one more is refused below.
      `en-${'a'.repeat(8)}-${'a'.repeat(8)}-${'a'.repeat(8)}-${'b'.repeat(5)}`,
    ]) {
      assert.ok(language.length <= LANGUAGE_TAG_MAX);
      assert.equal(parse({ language }).language, language);
    }
    for (const language of [
      'en-GB-',
      'en--GB',
      'en-a',
      'en-x',
      'en-GBR-1',
      'en-Latn-Latn-x',
      `en-${'a'.repeat(9)}`,
      `en-${'a'.repeat(8)}-${'a'.repeat(8)}-${'a'.repeat(8)}-${'b'.repeat(6)}`,
      `${'en-US-'.repeat(6)}x`,
      `en-${'x'.repeat(477 * 1024)}`,
      'en\nGB',
    ]) {
      const problems = rejected({ language });
      assert.deepEqual(
        problems.map((p) => p.field),
        ['language'],
        language.slice(0, 40),
      );
      assert.match(problems[0]?.message ?? '', /RFC 5646\) of at most 35 characters/);
    }
  });
});

describe('fields', () => {
  test('an unknown field is named', () => {
    assert.deepEqual(rejected({ colour: 'red' }), [{ field: 'colour', message: 'is not a known field' }]);
  });

  test('server fields echoed back from a GET are tolerated and not stored as content', () => {
    const content = parse({
      id: 'summit',
      version: 3,
      createdAt: '2026-11-27T09:30:00.000Z',
      updatedAt: '2026-11-28T09:30:00.000Z',
      status: 'published',
    });
    for (const field of ['id', 'version', 'createdAt', 'updatedAt', 'status']) {
      assert.equal(field in content, false, field);
    }
  });

  test('an id that differs from the one in the URL is rejected', () => {
    assert.deepEqual(rejectedFields({ id: 'another-story' }), ['id']);
  });

  test('every problem is reported at once, each with its field path', () => {
    const problems = rejected({
      headline: '',
      url: 'ftp://news.example.com/a',
      section: 'weather',
      topics: 'China',
      byline: [{ title: 'Analyst' }],
    });
    assert.deepEqual(problems.map((p) => p.field).sort(), [
      'byline.0.name',
      'headline',
      'section',
      'topics',
      'url',
    ]);
  });

  test('a body that is not a JSON object is rejected as a whole', () => {
    for (const input of [null, [], 'headline', 42, true, undefined]) {
      assert.deepEqual(problemsOf(input), [{ field: '', message: 'must be a JSON object' }], String(input));
    }
  });
});

describe('parseArticleId', () => {
  test('letters, digits, dot, underscore and hyphen, 1–128 long, starting alphanumeric', () => {
    for (const id of ['a', '7', 'summit-2026_11.27', 'A'.repeat(128)]) assert.equal(parseArticleId(id), id);
  });

  test('anything else is rejected as a bad id', () => {
    for (const id of [
      undefined,
      '',
      '-summit',
      '.summit',
      'a/b',
      'a b',
      'a'.repeat(129),
      'café',
      'summit\n',
    ]) {
      assert.throws(
        () => parseArticleId(id),
        (error) => error instanceof ValidationError && error.problems[0]?.field === 'id',
        String(id),
      );
    }
  });
});

describe('plain-text fields', () => {
  const parsed = (overrides: Record<string, unknown>) =>
    parseArticle(sampleArticle(overrides), 'summit', config, NOW);

  test('markup is stripped from the headline, and the response says so', () => {
    const { content, warnings } = parsed({
      headline: 'Talks <b>resume</b> in <script>alert(1)</script>Geneva',
    });
    assert.equal(content.headline, 'Talks resume in Geneva');
    assert.deepEqual(warnings, [
      { field: 'headline', message: 'markup was removed: this field is plain text' },
    ]);
  });

  test('character references are decoded to characters, with a warning', () => {
    const { content, warnings } = parsed({ headline: 'Lund &amp; Marsh &#8212; a &quot;deal&quot;' });
    assert.equal(content.headline, 'Lund & Marsh — a "deal"');
    assert.deepEqual(
      warnings.map((w) => w.field),
      ['headline'],
    );
    assert.match(warnings[0]?.message ?? '', /character references/);
  });

  test('encoded markup cannot come back as a tag once decoded', () => {
    const { content } = parsed({ headline: 'A &lt;script&gt;alert(1)&lt;/script&gt; B' });
    assert.equal(content.headline, 'A B');
  });

  test('text that only looks special stays as written, with no warning', () => {
    const { content, warnings } = parsed({ headline: 'AT&T says 5 < 6 and "yes" > no' });
    assert.equal(content.headline, 'AT&T says 5 < 6 and "yes" > no');
    assert.deepEqual(warnings, []);
  });

  test('writers, captions, credits and topics are plain text too, each warned by its path', () => {
    const { content, warnings } = parsed({
      byline: [{ name: '<i>Ana</i> Ortiz', title: 'Senior &amp; Chief' }],
      image: { url: 'https://news.example.com/a.jpg', caption: '<em>Leaders</em>', credit: 'Lee &amp; Min' },
      topics: ['<b>Trade</b>'],
    });
    assert.deepEqual(content.byline, [{ name: 'Ana Ortiz', title: 'Senior & Chief' }]);
    assert.equal(content.image?.caption, 'Leaders');
    assert.equal(content.image?.credit, 'Lee & Min');
    assert.deepEqual(content.topics, ['Trade']);
    assert.deepEqual(
      warnings.map((w) => w.field),
      ['topics.0', 'byline.0.name', 'byline.0.title', 'image.caption', 'image.credit'],
    );
  });

  test('a headline that is only markup is empty, and refused', () => {
    assert.deepEqual(rejected({ headline: '<script>alert(1)</script>' }), [
      { field: 'headline', message: 'must not be empty' },
    ]);
  });
});

describe('writers, thumbnails and media', () => {
  test("a writer's id names their feed and must be a slug", () => {
    assert.deepEqual(parse({ byline: [{ id: 'willy-lam', name: 'Willy Wo-Lap Lam' }] }).byline, [
      { id: 'willy-lam', name: 'Willy Wo-Lap Lam' },
    ]);
    assert.deepEqual(rejectedFields({ byline: [{ id: 'Willy Lam', name: 'Willy' }] }), ['byline.0.id']);
  });

  test('a byline that is not a list gets one problem, not a second about its length', () => {
    assert.deepEqual(rejected({ byline: 'By Ana Ortiz' }), [
      { field: 'byline', message: 'must be an array of writers' },
    ]);
  });

  test('a lead photo may have a thumbnail rendition', () => {
    const image = parse({
      image: {
        url: 'https://news.example.com/a.jpg',
        thumbnail: { url: 'https://news.example.com/a-320.jpg', width: 320, height: 213 },
      },
    }).image;
    assert.deepEqual(image?.thumbnail, {
      url: 'https://news.example.com/a-320.jpg',
      width: 320,
      height: 213,
    });
    assert.deepEqual(
      rejectedFields({ image: { url: 'https://news.example.com/a.jpg', thumbnail: { width: 3, size: 1 } } }),
      ['image.thumbnail.size', 'image.thumbnail.url'],
    );
  });

  test('media holds photos and videos; duration and poster belong to videos', () => {
    const media = parse({
      media: [
        {
          url: 'https://news.example.com/clip.mp4',
          type: 'video/mp4',
          caption: 'The <b>clip</b>',
          duration: 94,
          poster: 'https://news.example.com/clip.jpg',
        },
        { url: 'https://news.example.com/b.jpg', type: 'image/jpeg', credit: 'Lee Min' },
      ],
    }).media;
    assert.deepEqual(media, [
      {
        url: 'https://news.example.com/clip.mp4',
        type: 'video/mp4',
        caption: 'The clip',
        duration: 94,
        poster: 'https://news.example.com/clip.jpg',
      },
      { url: 'https://news.example.com/b.jpg', type: 'image/jpeg', credit: 'Lee Min' },
    ]);
    assert.deepEqual(
      rejectedFields({
        media: [
          { url: 'https://news.example.com/b.jpg', type: 'image/jpeg', duration: 3 },
          { url: 'x', type: 'audio/mp3' },
        ],
      }),
      ['media.0.duration', 'media.1.url', 'media.1.type'],
    );
    assert.deepEqual(
      rejected({
        media: Array.from({ length: 21 }, () => ({ url: 'https://a.example/a.jpg', type: 'image/jpeg' })),
      }),
      [{ field: 'media', message: 'must have at most 20 items' }],
    );
  });
});

describe('abuse', () => {
  test('a URL carrying a user name or password is refused', () => {
    assert.deepEqual(rejected({ url: 'https://user:pass@news.example.com/a' }), [
      { field: 'url', message: 'must not contain a user name or password' },
    ]);
  });

  test('125,000 bad editions give 50 problems and a count of the rest, quickly', () => {
    try {
      parseArticle(
        sampleArticle({ editions: Array.from({ length: 125_000 }, () => 'nowhere') }),
        'summit',
        config,
        NOW,
      );
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.problems.length, 50);
      assert.equal(error.omitted, 125_000 - 50);
    }
  });

  test('125,000 repeats of one edition are one problem', () => {
    assert.deepEqual(rejected({ editions: Array.from({ length: 125_000 }, () => 'asia') }), [
      { field: 'editions', message: 'must not repeat an edition' },
    ]);
  });

  test('publishedAt may be left out: the service decides (now, or unchanged on an update)', () => {
    assert.equal('publishedAt' in parseArticle(without('publishedAt'), 'summit', config, NOW).content, false);
  });
});
