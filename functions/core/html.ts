import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { cleanText, TAG_OPENER, untilUnchanged } from './text.ts';

const URL_SCHEMES = ['http', 'https', 'mailto'];

/** Resolves a link against the article URL; undefined when it is not an http(s)/mailto URL. */
export function absoluteLink(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return URL_SCHEMES.includes(url.protocol.slice(0, -1)) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function linkTransform(attribute: 'href' | 'src' | 'cite', base: string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const { [attribute]: raw, ...rest } = attribs;
    const resolved = raw === undefined ? undefined : absoluteLink(raw, base);
    if (resolved !== undefined && (attribute === 'href' || !resolved.startsWith('mailto:'))) {
      return { tagName, attribs: { ...rest, [attribute]: resolved } };
    }
    return { tagName, attribs: rest };
  };
}

/** Inline markup allowed in summaries and bodies. */
const INLINE_TAGS = 'a em strong b i u s small sub sup mark q cite abbr time br code span'.split(' ');

/** Block markup allowed in bodies only. */
const BLOCK_TAGS = (
  'p hr pre blockquote h2 h3 h4 h5 h6 ul ol li dl dt dd figure figcaption img ' +
  'table thead tbody tfoot tr th td caption'
).split(' ');

const BODY_TAGS = [...INLINE_TAGS, ...BLOCK_TAGS];

function options(allowedTags: string[], base: string): sanitizeHtml.IOptions {
  return {
    allowedTags,
    allowedAttributes: {
      a: ['href', 'title', 'hreflang'],
      img: ['src', 'alt', 'width', 'height', 'title'],
      abbr: ['title'],
      time: ['datetime'],
      q: ['cite'],
      blockquote: ['cite'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      ol: ['start', 'reversed'],
    },
    allowedSchemes: URL_SCHEMES,
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'iframe',
      'object',
      'embed',
      'template',
      'svg',
      'math',
    ],
    transformTags: {
      a: linkTransform('href', base),
      img: linkTransform('src', base),
      q: linkTransform('cite', base),
      blockquote: linkTransform('cite', base),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
  };
}

// The sanitiser decodes character references (`&#1;`), so its output is cleaned again.

/** Sanitises article body HTML against the allowlist; relative links become absolute against `base`. */
export function sanitizeBody(html: string, base: string): string {
  return cleanText(sanitizeHtml(cleanText(html), options(BODY_TAGS, base))).trim();
}

/** Block-level boundaries that must stay word breaks when a summary is reduced to inline HTML. */
const BLOCK_BOUNDARY =
  /<\/?(p|div|h[1-6]|li|ul|ol|blockquote|section|article|tr|td|th|dd|dt|figure|figcaption|pre|hr|br)\b[^>]*>/gi;

/** Sanitises a summary: plain text or simple inline HTML. */
export function sanitizeSummary(html: string, base: string): string {
  const spaced = cleanText(html).replace(BLOCK_BOUNDARY, (tag) => (/^<br\b/i.test(tag) ? tag : ` ${tag} `));
  return cleanText(sanitizeHtml(spaced, options(INLINE_TAGS, base)))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Elements whose content is never text a reader should see. */
const HIDDEN_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed'];
const BREAKING_TAG = /<\/?(br|p|div|li|h[1-6]|tr|td|th|dd|dt|hr)\b[^>]*>/gi;

/** What happened to a plain-text value on its way in. */
export interface PlainText {
  text: string;
  /** Markup (tags) was removed. */
  markup: boolean;
  /** Character references (`&amp;`) were decoded. */
  references: boolean;
}

/**
 * Reduces a plain-text field to text: tags removed (with what scripts and
 * styles hold), character references decoded, and again until nothing
 * changes — so encoded markup (`&lt;b&gt;`, encoded any number of times)
 * cannot come back as a tag, and no `<letter` survives — then white space
 * collapsed. The result is its own fixed point: toPlainText leaves it as it is.
 */
export function toPlainText(value: string): PlainText {
  let markup = false;
  let references = false;
  const { text, settled } = untilUnchanged(value, (current) => {
    const decodedInput = cleanText(decodeHTML(current));
    if (decodedInput !== current) references = true;
    const stripped = sanitizeHtml(current.replace(BREAKING_TAG, ' '), {
      allowedTags: [],
      allowedAttributes: {},
      nonTextTags: [...HIDDEN_CONTENT, 'title'],
    });
    // sanitize-html decodes text and escapes it again, so decoding its output
    // differs from decoding the input only where markup was taken out.
    const result = cleanText(decodeHTML(stripped));
    if (result !== decodedInput || result.replace(TAG_OPENER, '') !== result) markup = true;
    return result;
  });
  // Nested past every round: its `<` and `&` were dropped.
  if (!settled) markup = true;
  return { text: text.replace(/\s+/g, ' ').trim(), markup, references };
}
