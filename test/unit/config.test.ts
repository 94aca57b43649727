import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, defineConfig } from '../../functions/core/config.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import config from '../../newswire.config.ts';

const minimal = {
  title: 'Site',
  description: 'A site',
  baseUrl: 'https://example.org///',
  copyright: '© Site',
  language: 'en',
  tagAuthority: 'example.org,2026',
  defaultEdition: 'all',
  sections: [{ id: 'news', title: 'News' }],
  editions: [{ id: 'all', title: 'All', description: 'Everything', language: 'en', timeZone: 'UTC' }],
};

describe('site config', () => {
  test('the shipped newswire.config.ts is valid, and what the functions bundle is what was validated', () => {
    assert.deepEqual(validateConfig(config), config);
  });

  test('defineConfig fills the defaults without validating; validateConfig agrees', () => {
    const defined = defineConfig(minimal);
    assert.equal(defined.baseUrl, 'https://example.org');
    assert.equal(defined.pageSize, 50);
    assert.deepEqual(defined.editions[0]?.countries, []);
    assert.equal(defined.editions[0]?.includesAll, false);
    assert.deepEqual(validateConfig(minimal), defined);
  });

  test('validation names every bad field, unknown ones included', () => {
    const bad = {
      ...minimal,
      pageSize: 500,
      colour: 'red',
      editions: [{ ...minimal.editions[0]!, timeZone: 'Mars/Olympus' }],
    };
    assert.doesNotThrow(() => defineConfig(bad));
    assert.throws(
      () => validateConfig(bad),
      (error: Error) =>
        error instanceof ConfigError &&
        /pageSize/.test(error.message) &&
        /colour/.test(error.message) &&
        /editions\.0\.timeZone: must be an IANA time zone/.test(error.message),
    );
  });

  test('subscriberCounts: off unless { public: true }, anything else named', () => {
    assert.equal(validateConfig(minimal).subscriberCounts, undefined);
    assert.deepEqual(validateConfig({ ...minimal, subscriberCounts: { public: true } }).subscriberCounts, {
      public: true,
    });
    for (const [value, message] of [
      [{ public: 'yes' }, /subscriberCounts\.public: must be true \(pages show subscriber counts\) or false/],
      [true, /subscriberCounts: must be \{ public: true \} or \{ public: false \}/],
      [{ public: true, floor: 5 }, /subscriberCounts: must be \{ public: true \} or \{ public: false \}/],
    ] as const) {
      assert.throws(
        () => validateConfig({ ...minimal, subscriberCounts: value as never }),
        (error: Error) => error instanceof ConfigError && message.test(error.message),
        JSON.stringify(value),
      );
    }
  });
});
