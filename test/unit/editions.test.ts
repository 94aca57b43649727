import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { editionForCountry, membershipsOf } from '../../functions/core/editions.ts';
import config from '../../newswire.config.ts';

describe('membershipsOf', () => {
  test('an article is in each named edition and International, whole and by its section', () => {
    assert.deepEqual(membershipsOf({ editions: ['asia', 'europe'], section: 'world' }, config), [
      { edition: 'international' },
      { edition: 'international', section: 'world' },
      { edition: 'europe' },
      { edition: 'europe', section: 'world' },
      { edition: 'asia' },
      { edition: 'asia', section: 'world' },
    ]);
  });

  test('naming only International puts the article nowhere else', () => {
    assert.deepEqual(membershipsOf({ editions: ['international'], section: 'sport' }, config), [
      { edition: 'international' },
      { edition: 'international', section: 'sport' },
    ]);
  });

  test('an article that names no editions is in every edition', () => {
    const scopes = membershipsOf({ section: 'business' }, config);
    assert.deepEqual(
      scopes.filter((s) => s.section === undefined).map((s) => s.edition),
      config.editions.map((e) => e.id),
    );
    assert.equal(scopes.length, config.editions.length * 2);
    assert.ok(scopes.filter((s) => s.section !== undefined).every((s) => s.section === 'business'));
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
