/**
 * The full text readers display opens with the byline and the lead photo
 * (as Ghost and WordPress put the feature image into full-text feeds): every
 * value in it is escaped, so plain text stays text in any reader.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bylineHtml, creditText, figureHtml } from '../../functions/core/feeds/full-text.ts';
import { joinNames } from '../../functions/core/feeds/media.ts';

describe('byline block', () => {
  test('one writer with a title, two, and three', () => {
    assert.equal(
      bylineHtml([{ name: 'Willy Wo-Lap Lam', title: 'Senior China Analyst' }]),
      '<p class="byline">By Willy Wo-Lap Lam, Senior China Analyst</p>',
    );
    assert.equal(
      bylineHtml([
        { name: 'Willy Wo-Lap Lam', title: 'Senior China Analyst' },
        { name: 'Ana Ortiz', title: 'Europe Editor' },
      ]),
      '<p class="byline">By Willy Wo-Lap Lam, Senior China Analyst, and Ana Ortiz, Europe Editor</p>',
    );
    assert.equal(bylineHtml([{ name: 'Ana' }, { name: 'Lee' }]), '<p class="byline">By Ana and Lee</p>');
    assert.equal(
      bylineHtml([{ name: 'A', title: 'T, one' }, { name: 'B' }, { name: 'C', title: 'T3' }]),
      '<p class="byline">By A, T, one; B; and C, T3</p>',
    );
    assert.equal(
      bylineHtml([{ name: 'A' }, { name: 'B' }, { name: 'C' }]),
      '<p class="byline">By A, B and C</p>',
    );
    assert.equal(bylineHtml([]), '');
  });

  test('names link to the writer’s own page, else their page here; every value is escaped', () => {
    assert.equal(
      bylineHtml([
        { name: 'Lund & <Marsh>', title: '"Chief" & <b>', url: 'https://e.example/?a=1&b="2"' },
        { name: 'Lee', page: 'https://news.example.com/authors/lee/' },
      ]),
      '<p class="byline">By <a href="https://e.example/?a=1&amp;b=&quot;2&quot;">Lund &amp; &lt;Marsh&gt;</a>, &quot;Chief&quot; &amp; &lt;b&gt;, and <a href="https://news.example.com/authors/lee/">Lee</a></p>',
    );
  });

  test('one credit naming every writer, for the one author field RSS readers keep', () => {
    assert.equal(joinNames(['Ana Ortiz']), 'Ana Ortiz');
    assert.equal(joinNames(['Ana Ortiz', 'Lee Min']), 'Ana Ortiz and Lee Min');
    assert.equal(joinNames(['A', 'B', 'C']), 'A, B and C');
  });
});

describe('figures', () => {
  // The alt text is empty since the caption beside the photo describes it: text readers print both,
  // and rss2email, newsboat and w3m printed every caption twice while alt text repeated it.
  test('a photo with its caption and credit; caption and credit escaped, the alt text empty', () => {
    assert.equal(
      figureHtml({
        url: 'https://p.example/a.jpg?x=1&y=2',
        type: 'image/jpeg',
        medium: 'image',
        typeKnown: true,
        caption: 'Traders <in> "Frankfurt" & Paris',
        credit: 'Lee & Min / <Newswire>',
        width: 1200,
        height: 800,
      }),
      '<figure><img src="https://p.example/a.jpg?x=1&amp;y=2" alt="" width="1200" height="800"><figcaption>Traders &lt;in&gt; &quot;Frankfurt&quot; &amp; Paris <small class="credit">Photo: Lee &amp; Min / &lt;Newswire&gt;</small></figcaption></figure>',
    );
  });

  test('a photo with neither caption nor credit has no empty caption', () => {
    assert.equal(
      figureHtml({ url: 'https://p.example/a.jpg', type: 'image/jpeg', medium: 'image', typeKnown: true }),
      '<figure><img src="https://p.example/a.jpg" alt=""></figure>',
    );
  });

  test('a video plays where readers allow it, falls back to its poster linked to the clip, and says how long it is', () => {
    assert.equal(
      figureHtml({
        url: 'https://v.example/clip.mp4',
        type: 'video/mp4',
        medium: 'video',
        typeKnown: true,
        caption: 'Dome opening',
        credit: 'Observatory',
        duration: 94,
        width: 1280,
        height: 720,
        thumbnail: { url: 'https://v.example/poster.jpg' },
      }),
      '<figure class="video"><video controls preload="none" poster="https://v.example/poster.jpg" width="1280" height="720"><source src="https://v.example/clip.mp4" type="video/mp4"><a href="https://v.example/clip.mp4"><img src="https://v.example/poster.jpg" alt="Watch the video" width="1280" height="720"></a></video><figcaption>Dome opening <small class="duration">(1:34)</small> <small class="credit">Video: Observatory</small></figcaption></figure>',
    );
  });

  test('a credit that already names what it credits is not labelled again ("Photo: Photo: Reuters")', () => {
    const photo = {
      url: 'https://p.example/a.jpg',
      type: 'image/jpeg',
      medium: 'image',
      typeKnown: true,
    } as const;
    for (const credit of [
      'Photo: Reuters',
      'photo: AP',
      'Photograph by Lee Min',
      'Pictures: Getty',
      'Video: AP',
    ]) {
      assert.equal(creditText({ ...photo, credit }), credit);
    }
    assert.equal(creditText({ ...photo, credit: 'Reuters' }), 'Photo: Reuters');
    assert.equal(creditText({ ...photo, credit: 'Photographer unknown' }), 'Photo: Photographer unknown');
    assert.equal(creditText({ ...photo, medium: 'video', credit: 'AP' }), 'Video: AP');
    assert.match(
      figureHtml({ ...photo, credit: 'Photo: Reuters' }),
      /<small class="credit">Photo: Reuters<\/small>/,
    );
  });
});
