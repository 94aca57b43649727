import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanLine, cleanText, hasForbiddenCharacters } from '../../functions/core/text.ts';

/** Every UTF-16 string cleanText must remove: XML 1.0's forbidden characters plus U+FDD0–U+FDEF. */
const FORBIDDEN = [
  ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).filter((c) => !'\t\n\r'.includes(c)),
  '\uFFFE',
  '\uFFFF',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0xfdd0 + i)),
];

const codes = (value: string) => [...value].map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase()}`);

describe('cleanText', () => {
  test('removes every C0 control except tab, LF and CR, U+FFFE, U+FFFF and U+FDD0–U+FDEF', () => {
    for (const c of FORBIDDEN) assert.equal(cleanText(`a${c}b`), 'ab', codes(c).join());
  });

  test('keeps tab and line feed', () => {
    assert.equal(cleanText('a\tb\nc'), 'a\tb\nc');
  });

  test('removes lone high and low surrogates wherever they stand', () => {
    for (const value of ['\uD800a', 'a\uD800', 'a\uDBFFb', '\uDC00a', 'a\uDFFF', 'a\uDC00\uD800b']) {
      assert.equal(cleanText(value).replace(/a|b/g, ''), '', codes(value).join());
    }
    assert.equal(cleanText('x\uD800\uD83D\uDE00\uDC00y'), 'x😀y');
  });

  test('keeps astral-plane characters, emoji and right-to-left text intact', () => {
    const text = 'Summit 😀 in 𝔸 — مرحبا بالعالم · שלום \u200F 👩🏽‍💻 \u{10FFFD}';
    assert.equal(cleanText(text), text);
  });

  test('turns CR and CRLF line ends into LF', () => {
    assert.equal(cleanText('one\r\ntwo\rthree\n\rfour'), 'one\ntwo\nthree\n\nfour');
  });

  test('composes characters to NFC so equal text is stored equally', () => {
    assert.equal(cleanText('Cafe\u0301'), 'Café');
  });
});

describe('cleanLine', () => {
  test('collapses every run of white space to one space and trims the ends', () => {
    assert.equal(cleanLine('  Summit\n\n ends\t\twith \u00A0a  pledge \r\n'), 'Summit ends with a pledge');
  });

  test('removes forbidden characters before collapsing, so no double spaces remain', () => {
    assert.equal(cleanLine('Summit \u0000 ends\uFFFE'), 'Summit ends');
  });
});

describe('hasForbiddenCharacters', () => {
  test('agrees with cleanText, call after call', () => {
    for (const c of [...FORBIDDEN, '\uD800', '\uDC00']) {
      assert.equal(hasForbiddenCharacters(`ok${c}`), true, codes(c).join());
      assert.equal(hasForbiddenCharacters(`ok${c}`), true, `${codes(c).join()} (second call)`);
    }
    assert.equal(hasForbiddenCharacters('ok 😀 مرحبا\t\n\r'), false);
  });
});
