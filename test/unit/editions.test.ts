import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { editionForCountry } from '../../functions/core/editions.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { membershipsOf, scopeOfPath, scopePath, scopeTitle } from '../../functions/core/scopes.ts';
import { slugify } from '../../functions/core/text.ts';
import config from '../../newswire.config.ts';

const article = (fields: {
  editions?: string[];
  section: string;
  byline?: { id?: string; name: string }[];
  topics?: string[];
}) => ({
  byline: [],
  topics: [],
  ...fields,
});

describe('membershipsOf', () => {
  test('an article is in each named edition and International, whole and by its section', () => {
    assert.deepEqual(membershipsOf(article({ editions: ['asia', 'europe'], section: 'world' }), config), [
      { kind: 'edition', edition: 'international' },
      { kind: 'section', edition: 'international', section: 'world' },
      { kind: 'edition', edition: 'europe' },
      { kind: 'section', edition: 'europe', section: 'world' },
      { kind: 'edition', edition: 'asia' },
      { kind: 'section', edition: 'asia', section: 'world' },
    ]);
  });

  test('naming only International puts the article nowhere else', () => {
    assert.deepEqual(membershipsOf(article({ editions: ['international'], section: 'sport' }), config), [
      { kind: 'edition', edition: 'international' },
      { kind: 'section', edition: 'international', section: 'sport' },
    ]);
  });

  test('an article that names no editions is in every edition', () => {
    const scopes = membershipsOf(article({ section: 'business' }), config);
    assert.deepEqual(
      scopes.filter((s) => s.kind === 'edition').map((s) => s.edition),
      config.editions.map((e) => e.id),
    );
    assert.equal(scopes.length, config.editions.length * 2);
  });

  test('each writer (by id, else by a slug of the name) and each topic has a feed, each once', () => {
    const scopes = membershipsOf(
      article({
        editions: ['international'],
        section: 'world',
        byline: [{ id: 'willy-lam', name: 'Willy Wo-Lap Lam' }, { name: 'Zoë Ng' }, { name: 'ZOE NG' }],
        topics: ['Drug resistance', 'drug  Resistance', 'China', '!!!'],
      }),
      config,
    );
    assert.deepEqual(scopes.slice(2), [
      { kind: 'author', author: 'willy-lam' },
      { kind: 'author', author: 'zoe-ng' },
      { kind: 'topic', topic: 'drug-resistance' },
      { kind: 'topic', topic: 'china' },
    ]);
  });
});

describe('slugs and scope paths', () => {
  test('slugs are lower case, unaccented, hyphenated, and keep every script', () => {
    assert.equal(slugify('Drug resistance'), 'drug-resistance');
    assert.equal(slugify('  Café — Society! '), 'cafe-society');
    assert.equal(slugify('王毅'), '王毅');
    assert.equal(slugify('---'), '');
    assert.equal(slugify(`${'a'.repeat(79)} b`), 'a'.repeat(79));
  });

  test('every kind of scope has one path, and the path names it back', () => {
    const scopes = [
      { kind: 'edition', edition: 'europe' },
      { kind: 'section', edition: 'europe', section: 'world' },
      { kind: 'top', edition: 'asia' },
      { kind: 'author', author: 'willy-lam' },
      { kind: 'topic', topic: '王毅' },
    ] as const;
    for (const scope of scopes) {
      const segments = scopePath(scope)
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent);
      assert.deepEqual(scopeOfPath(config, segments), scope);
    }
    assert.equal(scopePath({ kind: 'topic', topic: '王毅' }), '/topics/%E7%8E%8B%E6%AF%85/');
  });

  test('unknown editions and sections, and writer or topic names that are not slugs, name nothing', () => {
    for (const segments of [
      ['antarctica'],
      ['europe', 'weather'],
      ['authors', 'Ana Ortiz'],
      ['topics', ''],
      ['authors'],
    ]) {
      assert.throws(() => scopeOfPath(config, segments), NotFoundError, segments.join('/'));
    }
  });

  test('titles name the site and the scope', () => {
    assert.equal(scopeTitle(config, { kind: 'top', edition: 'europe' }), 'Newswire — Europe — Top Stories');
    assert.equal(
      scopeTitle(
        config,
        { kind: 'author', author: 'willy-lam' },
        { author: { name: 'Willy Wo-Lap Lam', title: 'Senior China Analyst' } },
      ),
      'Newswire — Willy Wo-Lap Lam, Senior China Analyst',
    );
    assert.equal(
      scopeTitle(config, { kind: 'topic', topic: 'drug-resistance' }, { topic: 'Drug resistance' }),
      'Newswire — Drug resistance',
    );
  });
});

describe('config rules that protect the URL scheme and the write transaction', () => {
  test('top, authors, topics, api, assets and problems cannot be edition or section ids', () => {
    for (const id of ['top', 'authors', 'topics', 'api', 'assets', 'problems']) {
      assert.throws(
        () => validateConfig({ ...config, sections: [...config.sections, { id, title: 'X' }] }),
        new RegExp(`sections\\.${config.sections.length}\\.id: "${id}" is reserved`),
      );
    }
  });

  test('more editions than fit one 100-item transaction are refused, naming the limit', () => {
    // Each edition needs its own language (hreflang values must not collide).
    const languages = [
      'en-AU',
      'en-CA',
      'en-IE',
      'en-NZ',
      'en-IN',
      'en-SG',
      'en-PH',
      'en-NG',
      'en-KE',
      'en-MT',
    ];
    const editions = languages.map((language, i) => ({
      ...config.editions[1]!,
      id: `e${i}`,
      title: `E${i}`,
      language,
    }));
    assert.throws(
      () => validateConfig({ ...config, defaultEdition: 'e0', editions }),
      /editions: at most 9 editions: an article in every edition, with 10 writers and 20 topics, must be written in one DynamoDB transaction of at most 100 items/,
    );
    assert.doesNotThrow(() =>
      validateConfig({ ...config, defaultEdition: 'e0', editions: editions.slice(0, 9) }),
    );
  });
});

describe('editionForCountry', () => {
  test('a country maps to the edition that serves it', () => {
    assert.equal(editionForCountry(config, 'DE')?.id, 'europe');
    assert.equal(editionForCountry(config, 'JP')?.id, 'asia');
    assert.equal(editionForCountry(config, 'BR')?.id, 'americas');
    assert.equal(editionForCountry(config, 'AE')?.id, 'middle-east');
    assert.equal(editionForCountry(config, 'KE')?.id, 'africa');
  });

  test('lower-case and padded country codes are understood', () => {
    assert.equal(editionForCountry(config, 'de')?.id, 'europe');
    assert.equal(editionForCountry(config, ' jp ')?.id, 'asia');
  });

  test('an unknown or missing country has no edition', () => {
    for (const country of ['AQ', 'XX', '', undefined]) {
      assert.equal(editionForCountry(config, country), undefined, String(country));
    }
  });
});
