import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArticle } from '../../functions/core/article-input.ts';
import { sanitizeBody, sanitizeSummary } from '../../functions/core/html.ts';
import { hasForbiddenCharacters } from '../../functions/core/text.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';

const BASE = 'https://news.example.com/2026/11/27/asia/summit/';

/** Hostile URLs a CMS (or an attacker with CMS access) might send, raw as they appear in HTML. */
const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '  javascript:alert(1)',
  '\tjavascript:alert(1)',
  'java\nscript:alert(1)',
  'jav&#x61;script:alert(1)',
  'jav&#97;script:alert(1)',
  '&#106;avascript:alert(1)',
  'java&#x09;script:alert(1)',
  'javascript&colon;alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
];

describe('body sanitising', () => {
  test('script, style, iframe, object and similar elements are removed with their content', () => {
    const html =
      '<p>Kept</p><script>alert(1)</script><style>p{color:red}</style>' +
      '<iframe src="https://evil.example/">fallback</iframe><object data="x.swf">alt</object>' +
      '<embed src="x.swf"><noscript>ns</noscript><template>tpl</template>' +
      '<svg><script>alert(2)</script></svg><math><mi>x</mi></math><textarea>ta</textarea>';
    assert.equal(sanitizeBody(html, BASE), '<p>Kept</p>');
  });

  test('event handler and style attributes are removed', () => {
    const html =
      '<p onclick="steal()" style="color:red" ONMOUSEOVER="x()">t</p><img src="/a.jpg" onerror="x()" alt="">';
    const clean = sanitizeBody(html, BASE);
    assert.doesNotMatch(clean, /\son\w+=|style=/i);
    assert.equal(clean, '<p>t</p><img alt="" src="https://news.example.com/a.jpg" />');
  });

  test('javascript:, data: and vbscript: links lose their href, however they are disguised', () => {
    for (const url of HOSTILE_URLS) {
      assert.equal(sanitizeBody(`<p><a href="${url}">x</a></p>`, BASE), '<p><a>x</a></p>', url);
    }
  });

  test('images with a javascript:, data: or vbscript: source are dropped', () => {
    for (const url of HOSTILE_URLS) {
      assert.equal(sanitizeBody(`<p>a<img src="${url}" alt="x">b</p>`, BASE), '<p>ab</p>', url);
    }
  });

  test('relative links and image sources become absolute against the article URL', () => {
    const cases: [string, string][] = [
      ['/asia/', 'https://news.example.com/asia/'],
      ['photo.jpg', `${BASE}photo.jpg`],
      ['../related/', 'https://news.example.com/2026/11/27/asia/related/'],
      ['#para-2', `${BASE}#para-2`],
      ['?page=2', `${BASE}?page=2`],
      ['//cdn.example.com/a.jpg', 'https://cdn.example.com/a.jpg'],
    ];
    for (const [relative, absolute] of cases) {
      assert.equal(
        sanitizeBody(`<a href="${relative}">x</a>`, BASE),
        `<a href="${absolute}">x</a>`,
        relative,
      );
      assert.equal(sanitizeBody(`<img src="${relative}">`, BASE), `<img src="${absolute}" />`, relative);
    }
  });

  test('mailto: links are kept, but never as an image source', () => {
    assert.equal(
      sanitizeBody('<a href="mailto:desk@example.com">Mail us</a>', BASE),
      '<a href="mailto:desk@example.com">Mail us</a>',
    );
    assert.equal(sanitizeBody('<p><img src="mailto:desk@example.com"></p>', BASE), '<p></p>');
  });

  test('the allowed structure of an article survives untouched', () => {
    const html =
      '<h2>Talks</h2><p>Leaders <em>agreed</em> and <strong>signed</strong> a ' +
      '<a title="Text" href="https://example.org/x">deal</a>.</p>' +
      '<blockquote cite="https://example.org/q"><p>We will</p></blockquote>' +
      '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>' +
      '<figure><img alt="A ship" width="600" height="400" src="https://news.example.com/a.jpg" />' +
      '<figcaption>Ships</figcaption></figure>' +
      '<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>' +
      '<pre><code>x &lt; y</code></pre><p><abbr title="North Atlantic Treaty Organization">NATO</abbr> ' +
      '<time datetime="2026-11-27">Friday</time><br />H<sub>2</sub>O</p>';
    assert.equal(sanitizeBody(html, BASE), html);
  });

  test('tags outside the allowlist are unwrapped, keeping their text', () => {
    assert.equal(
      sanitizeBody('<div class="x"><font color="red">Hi</font> <h1>there</h1></div>', BASE),
      'Hi there',
    );
  });

  test('attributes outside the allowlist are removed', () => {
    assert.equal(
      sanitizeBody(
        '<a href="https://example.org/" target="_blank" rel="opener" class="c" id="i">x</a>',
        BASE,
      ),
      '<a href="https://example.org/">x</a>',
    );
  });

  test('character references cannot smuggle XML-forbidden characters into a stored article', () => {
    const content = parseArticle(
      sampleArticle({ summary: 'Talks&#x1; ended', body: '<p>a&#1;b&#xFFFE;c&#xFDD0;d&#x1F;e</p>' }),
      'summit',
      config,
      new Date('2026-12-01T00:00:00Z'),
    ).content;
    const stored = { summary: content.summary, body: content.body };
    assert.equal(hasForbiddenCharacters(stored.summary + stored.body), false, JSON.stringify(stored));
  });
});

describe('summary sanitising', () => {
  test('a summary keeps inline markup only; block tags and images go, their text stays', () => {
    const html =
      '<p>Leaders <em>agreed</em>   to\n <a href="/talks/">talk</a> <strong>now</strong>.</p>' +
      '<img src="/a.jpg" alt="x"><h2> Later</h2>';
    assert.equal(
      sanitizeSummary(html, BASE),
      'Leaders <em>agreed</em> to <a href="https://news.example.com/talks/">talk</a> <strong>now</strong>. Later',
    );
  });

  test('a summary loses scripts and hostile links like the body does', () => {
    assert.equal(
      sanitizeSummary(
        'Talks <script>alert(1)</script><a href="jav&#x61;script:x" onclick="y">ended</a>',
        BASE,
      ),
      'Talks <a>ended</a>',
    );
  });

  test('paragraphs in a summary stay separate words when reduced to inline text', () => {
    assert.equal(sanitizeSummary('<p>Talks ended.</p><p>Ships sail.</p>', BASE), 'Talks ended. Ships sail.');
  });
});
