import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forRequest, VIEWER_HOST_HEADER } from '../../functions/http/site.ts';
import config from '../../newswire.config.ts';
import { httpEvent } from '../support/events.ts';

const deps = { config, marker: 'kept' };
const from = (host?: string) =>
  forRequest(
    httpEvent(
      'GET',
      '/europe/rss.xml',
      host === undefined ? {} : { headers: { [VIEWER_HOST_HEADER]: host } },
    ),
    deps,
  );

describe('the site address for a request', () => {
  it('is https://<viewer host> when CloudFront names one, with logo and icon moved along', () => {
    assert.equal(
      process.env.NEWSWIRE_BASE_URL,
      undefined,
      'this file tests the path without NEWSWIRE_BASE_URL',
    );
    const site = from('D111111ABCDEF8.cloudfront.net').config;
    assert.equal(site.baseUrl, 'https://d111111abcdef8.cloudfront.net');
    assert.equal(site.logoUrl, 'https://d111111abcdef8.cloudfront.net/assets/logo.png');
    assert.equal(site.iconUrl, 'https://d111111abcdef8.cloudfront.net/assets/icon.png');
    assert.equal(site.tagAuthority, config.tagAuthority, 'guids never follow the address');
    assert.equal(from('d111111abcdef8.cloudfront.net').marker, 'kept');
  });

  it('keeps URLs that were not under baseUrl (a logo on another host)', () => {
    const elsewhere = { config: { ...config, logoUrl: 'https://cdn.example.net/logo.png' } };
    const event = httpEvent('GET', '/', { headers: { [VIEWER_HOST_HEADER]: 'news.example.org' } });
    assert.equal(forRequest(event, elsewhere).config.logoUrl, 'https://cdn.example.net/logo.png');
  });

  it('stays baseUrl of newswire.config.ts without a plain host name', () => {
    for (const host of [
      undefined,
      '',
      'evil.example/x',
      'host.example:8443',
      'user@host.example',
      'localhost',
      '-a.example',
    ]) {
      assert.equal(from(host), deps, String(host));
    }
  });

  it('gives each address the same config object every time, whatever came between', () => {
    // What is cached per config (its fingerprint, in every feed's ETag) then stays cached.
    const a = from('news.example.org').config;
    const b = from('d111111abcdef8.cloudfront.net').config;
    assert.notEqual(a, b);
    assert.equal(from('news.example.org').config, a);
    assert.equal(from('d111111abcdef8.cloudfront.net').config, b);
  });
});
