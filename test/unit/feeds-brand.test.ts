/**
 * Brand images made for their slots, and Feedly's elements: each feed names
 * the image its slot asks for, and the site serves each at the size the
 * config says (RSS 2.0 <image> at most 144 wide with width and height, Atom
 * <logo> 2:1 and <icon> square, JSON Feed icon 512 and favicon 64).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import type { BrandImage } from '../../functions/core/config.ts';
import { ConfigError } from '../../functions/core/config.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { brandOf, SITE_BRAND } from '../../functions/core/feeds/channel.ts';
import { NAMESPACES } from '../../functions/core/feeds/namespaces.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { decodePng } from '../support/png.ts';
import { childOf, parseXml } from '../support/xml-parse.ts';

const config = validateConfig(siteConfig);
const brand = brandOf(config);
const { atom: ATOM, webfeeds: WEBFEEDS } = NAMESPACES;
const scope = { kind: 'edition', edition: 'europe' } as const;
const articles = [storedFrom(sampleArticle(), 'summit', config, new Date('2026-12-01T00:00:00Z'))];

const noStore = new Proxy({} as ArticleStore, {
  get: () => () => Promise.reject(new Error('images need no store')),
});

/** The size of the image the site serves at a brand URL. */
async function servedSize(image: BrandImage): Promise<[number, number]> {
  const deps: ArticleServiceDeps = { store: noStore, config, clock: testClock('2026-12-01T00:00:00Z') };
  const response = await createPagesHandler(() => deps)(httpEvent('GET', new URL(image.url).pathname));
  assert.equal(response.statusCode, 200, image.url);
  const png = decodePng(Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8'));
  return [png.width, png.height];
}

describe('brand images', () => {
  test('the site serves every brand image at the size the config gives it', async () => {
    for (const image of [brand.channelImage, brand.logo, brand.icon, brand.favicon, brand.cover]) {
      assert.deepEqual(await servedSize(image), [image.width, image.height], image.url);
    }
  });

  test('RSS: <image> at most 144 wide, with its width and height; Feedly elements', () => {
    const channel = childOf(
      parseXml(renderFeed({ config, scope, format: 'rss', articles }).body),
      '',
      'channel',
    );
    const image = childOf(channel, '', 'image');
    assert.equal(childOf(image, '', 'url').text, brand.channelImage.url);
    assert.ok(Number(childOf(image, '', 'width').text) <= 144);
    assert.equal(Number(childOf(image, '', 'height').text), brand.channelImage.height);
    assert.equal(childOf(channel, WEBFEEDS, 'icon').text, brand.icon.url);
    assert.equal(childOf(channel, WEBFEEDS, 'logo').text, brand.logo.url);
    assert.equal(childOf(channel, WEBFEEDS, 'cover').attributes.image, brand.cover.url);
    assert.equal(childOf(channel, WEBFEEDS, 'accentColor').text, 'B3001B');
    assert.equal(childOf(channel, WEBFEEDS, 'related').attributes.layout, 'card');
  });

  test('Atom: a 2:1 <logo> and a square <icon>', () => {
    const root = parseXml(renderFeed({ config, scope, format: 'atom', articles }).body);
    assert.equal(childOf(root, ATOM, 'logo').text, brand.logo.url);
    assert.equal(brand.logo.width, 2 * brand.logo.height);
    assert.equal(childOf(root, ATOM, 'icon').text, brand.favicon.url);
    assert.equal(childOf(root, WEBFEEDS, 'icon').text, brand.icon.url);
  });

  test('JSON Feed: a 512 × 512 icon and a 64 × 64 favicon', () => {
    const feed = JSON.parse(renderFeed({ config, scope, format: 'json', articles }).body);
    assert.equal(feed.icon, brand.icon.url);
    assert.deepEqual([brand.icon.width, brand.icon.height], [512, 512]);
    assert.equal(feed.favicon, brand.favicon.url);
    assert.deepEqual([brand.favicon.width, brand.favicon.height], [64, 64]);
  });

  test('a brand image given as a path on the site follows the site’s address; an absolute one stays', () => {
    const own = validateConfig({
      ...siteConfig,
      baseUrl: 'https://d111.cloudfront.net',
      brand: { ...SITE_BRAND, cover: { url: 'https://cdn.example.net/cover.jpg', width: 1600, height: 800 } },
    });
    const resolved = brandOf(own);
    assert.equal(resolved.icon.url, 'https://d111.cloudfront.net/assets/icon-512.png');
    assert.equal(resolved.cover.url, 'https://cdn.example.net/cover.jpg');
  });

  test('the config refuses images that do not fit their slots', () => {
    const wrong = {
      ...SITE_BRAND,
      channelImage: { ...SITE_BRAND.channelImage, width: 600 },
      logo: { ...SITE_BRAND.logo, width: 300 },
      icon: { ...SITE_BRAND.icon, width: 256, height: 256 },
      accentColor: '#B3001B',
    };
    assert.throws(
      () => validateConfig({ ...siteConfig, brand: wrong }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const field of ['brand.channelImage', 'brand.logo', 'brand.icon', 'brand.accentColor']) {
          assert.match(error.message, new RegExp(field.replace('.', '\\.')));
        }
        return true;
      },
    );
  });
});
