import { ACCESS_LEVELS, ARTICLE_ID, LANGUAGE_TAG, LANGUAGE_TAG_MAX, LIMITS } from '../core/article.ts';
import { IMAGE_TYPES, VIDEO_TYPES } from '../core/article-input.ts';
import { REVISIONS_PAGE } from '../core/articles.ts';
import type { SiteConfig } from '../core/config.ts';
import { MAX_PROBLEMS } from '../core/errors.ts';
import { OPML_CONTENT_TYPE } from '../core/opml.ts';
import { PARTNER_IDS } from '../core/partners.ts';
import { problemForStatus, problemTypeUrl, proseOf } from '../core/problems.ts';
import { type FeedScope, scopePath } from '../core/scopes.ts';
import { MAX_COUNTED_CLIENTS, SHARED_CLIENTS, SUBSCRIBER_NAME_MAX } from '../core/subscriber-tokens.ts';
import { MAX_REPORT_DAYS, MAX_REPORT_FEEDS, REPORT_READERS } from '../core/subscribers.ts';
import {
  FEED_CONTENT_TYPES,
  FEED_FILES,
  FEED_FORMATS,
  FEED_NAMES,
  type FeedFormat,
  opmlUrl,
  PRIVATE_FOLDER,
} from '../core/urls.ts';
import { UNCOUNTED_KINDS } from '../core/user-agents.ts';
import { MAX_REQUEST_BYTES } from './request.ts';
import { ROUTES, type Route } from './routes.ts';

/**
 * The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json.
 * Its paths come from the route table (http/routes.ts) and its limits from
 * the validator's own constants, so the document cannot drift from the code.
 */

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const text = (max: number, description?: string): Json => ({
  type: 'string',
  maxLength: max,
  ...(description !== undefined && { description }),
});
const httpUrl: Json = {
  type: 'string',
  format: 'uri',
  maxLength: LIMITS.url,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
};
const pixels: Json = { type: 'integer', minimum: 1, maximum: LIMITS.imageDimension };
const bytes: Json = { type: 'integer', minimum: 1, maximum: 2 ** 40 };
const dateTime: Json = { type: 'string', format: 'date-time' };

const ARTICLE_REQUIRED = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'status',
  'headline',
  'summary',
  'body',
  'section',
  'topics',
  'byline',
  'publishedAt',
  'language',
  'access',
];

function schemas(config: SiteConfig): Json {
  const editions = config.editions.map((e) => e.id);
  const sections = config.sections.map((s) => s.id);
  const fieldProblem = {
    type: 'object',
    required: ['field', 'message'],
    properties: { field: { type: 'string' }, message: { type: 'string' } },
  };
  const byline = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      id: {
        type: 'string',
        pattern: '^[\\p{Ll}\\p{Lo}\\p{N}]+(-[\\p{Ll}\\p{Lo}\\p{N}]+)*$',
        maxLength: 80,
        description: "The writer's stable id: names their feed, /authors/{id}/",
      },
      name: text(LIMITS.name, 'Plain text: markup is removed, references decoded'),
      title: text(LIMITS.title, 'Plain text, e.g. "Senior China Analyst"'),
      url: httpUrl,
    },
  };
  const rendition = {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: { url: httpUrl, width: pixels, height: pixels },
  };
  const image = {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: httpUrl,
      caption: text(LIMITS.caption, 'Plain text'),
      credit: text(LIMITS.credit, 'Plain text'),
      width: pixels,
      height: pixels,
      type: { enum: [...IMAGE_TYPES] },
      length: { ...bytes, description: 'Size in bytes; only then does RSS get an enclosure' },
      thumbnail: ref('Rendition'),
    },
  };
  const media = {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'type'],
    properties: {
      url: httpUrl,
      type: { enum: [...IMAGE_TYPES, ...VIDEO_TYPES] },
      caption: text(LIMITS.caption, 'Plain text'),
      credit: text(LIMITS.credit, 'Plain text'),
      width: pixels,
      height: pixels,
      duration: {
        type: 'integer',
        minimum: 1,
        maximum: LIMITS.duration,
        description: 'Seconds (videos only)',
      },
      poster: { ...httpUrl, description: 'Still shown before the video plays (videos only)' },
      length: bytes,
    },
  };
  const content = {
    headline: text(
      LIMITS.headline,
      'Plain text, 1–300 characters once markup is removed and white space collapsed',
    ),
    summary: text(LIMITS.summary, 'Plain text or inline HTML'),
    body: { type: 'string', description: `Sanitised HTML, at most ${LIMITS.bodyBytes} bytes of UTF-8` },
    url: {
      ...httpUrl,
      description:
        "The publisher's own page for the story (no user name or password). Optional: without it the article's page on this site, /{edition}/{section}/{id}/, is its address",
    },
    section: { enum: sections },
    editions: {
      type: 'array',
      items: { enum: editions },
      minItems: 1,
      uniqueItems: true,
      description: 'Omitted: every edition. Editions that carry everything (International) always do.',
    },
    topics: { type: 'array', items: text(LIMITS.topic, 'Plain text'), maxItems: LIMITS.topics },
    byline: { type: 'array', items: ref('Byline'), maxItems: LIMITS.bylines },
    image: ref('Image'),
    media: { type: 'array', items: ref('Media'), maxItems: LIMITS.media },
    publishedAt: {
      ...dateTime,
      description: `RFC 3339 with an offset; in the future (up to ${LIMITS.scheduleAheadDays} days) = scheduled. Omitted: now for a new article, unchanged for an existing one`,
    },
    language: { type: 'string', pattern: LANGUAGE_TAG.source, maxLength: LANGUAGE_TAG_MAX },
    access: {
      enum: [...ACCESS_LEVELS],
      description:
        'free: everyone reads the story in full. premium: public feeds and pages show a teaser (headline, byline, summary, lead photo, topics, marked Premium), never the body, gallery or videos; subscribers read it in full in their private feeds. Omitted: free for a new article, unchanged for an existing one',
    },
  };
  // The stored article as the API returns it: its summary sanitised, so references such as
  // &amp; and &quot; (and links made absolute) can make it longer than the 2,000 characters sent.
  const stored = {
    ...content,
    summary: {
      type: 'string',
      description: `Sanitised inline HTML: the summary as sent (at most ${LIMITS.summary} characters), which escaping can lengthen`,
    },
  };
  const server = {
    id: { type: 'string', pattern: ARTICLE_ID.source },
    version: { type: 'integer', minimum: 1 },
    createdAt: dateTime,
    updatedAt: dateTime,
    withdrawnAt: dateTime,
    status: { enum: ['published', 'scheduled', 'withdrawn'] },
  };
  return {
    FieldProblem: fieldProblem,
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail'],
      description: 'RFC 9457 problem details; `type` is a page on this site explaining the problem',
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: ref('FieldProblem'), maxItems: MAX_PROBLEMS },
        errorsOmitted: { type: 'integer', minimum: 1, description: 'Problems found beyond those listed' },
      },
    },
    Byline: byline,
    Rendition: rendition,
    Image: image,
    Media: media,
    ArticleInput: {
      type: 'object',
      additionalProperties: false,
      required: ['headline', 'summary', 'body', 'section'],
      properties: {
        ...content,
        ...server,
        warnings: { type: 'array', items: ref('FieldProblem') },
        republished: { type: 'boolean' },
      },
      description: "The server's own fields (id, version, dates, status) may be sent back and are ignored",
    },
    Subscriber: {
      type: 'object',
      required: ['subscriberId', 'name', 'createdAt', 'status', 'clientsToday', 'probablyShared'],
      properties: {
        subscriberId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
        name: { type: 'string' },
        createdAt: dateTime,
        revokedAt: dateTime,
        status: { enum: ['active', 'revoked'] },
        lastFetchAt: {
          ...dateTime,
          description: 'Last fetch of a private feed (noted at most once a minute)',
        },
        clientsToday: {
          type: 'integer',
          minimum: 0,
          maximum: MAX_COUNTED_CLIENTS,
          description: `Distinct clients (a daily-salted hash of address and User-Agent; no address stored) that fetched today (UTC), counted up to ${MAX_COUNTED_CLIENTS}`,
        },
        probablyShared: {
          type: 'boolean',
          description: `More than ${SHARED_CLIENTS} distinct clients today: the address has probably been passed around`,
        },
      },
    },
    Article: {
      type: 'object',
      additionalProperties: false,
      required: ARTICLE_REQUIRED,
      properties: { ...stored, ...server },
    },
    WriteResult: {
      type: 'object',
      additionalProperties: false,
      required: ARTICLE_REQUIRED,
      properties: {
        ...stored,
        ...server,
        warnings: {
          type: 'array',
          items: ref('FieldProblem'),
          description: 'Plain-text fields whose markup was removed or references decoded',
        },
        republished: { const: true, description: 'The PUT published an article that had been withdrawn' },
      },
    },
    RevisionSummary: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'headline', 'publishedAt', 'updatedAt'],
      properties: {
        version: { type: 'integer', minimum: 1 },
        headline: { type: 'string' },
        publishedAt: dateTime,
        updatedAt: dateTime,
        withdrawnAt: dateTime,
      },
    },
    RevisionPage: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'current', 'revisions'],
      properties: {
        id: { type: 'string' },
        current: { type: 'integer', minimum: 1 },
        revisions: { type: 'array', items: ref('RevisionSummary'), maxItems: REVISIONS_PAGE },
        next: { type: 'integer', minimum: 1 },
        nextUrl: { type: 'string' },
      },
    },
    TopStoriesInput: {
      type: 'object',
      additionalProperties: false,
      required: ['articles'],
      properties: {
        articles: { type: 'array', items: server.id, maxItems: LIMITS.topStories, uniqueItems: true },
        edition: { type: 'string' },
        version: { type: 'integer' },
        updatedAt: { type: 'string' },
        warnings: { type: 'array', description: 'Sent back from an answer: ignored' },
      },
    },
    TopStories: {
      type: 'object',
      additionalProperties: false,
      required: ['edition', 'articles', 'version', 'updatedAt'],
      properties: {
        edition: { enum: editions },
        articles: { type: 'array', items: server.id, maxItems: LIMITS.topStories },
        version: { type: 'integer', minimum: 0, description: '0: editors have set none yet' },
        updatedAt: { type: 'string', description: 'Empty when editors have set none yet' },
        warnings: {
          type: 'array',
          items: ref('FieldProblem'),
          description:
            'In a PUT answer: listed stories readers cannot see — scheduled (they join when published) or withdrawn',
        },
      },
    },
    SubscriberReport: subscriberReportSchema(editions),
    JsonFeed: {
      type: 'object',
      required: ['version', 'title', 'items'],
      properties: {
        version: { const: 'https://jsonfeed.org/version/1.1' },
        title: { type: 'string' },
        items: {
          type: 'array',
          items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        },
        next_url: { type: 'string', format: 'uri' },
      },
    },
  };
}

/** `GET /api/stats`: what the estimate counts is in docs/operations.md. */
function subscriberReportSchema(editions: string[]): Json {
  const count = { type: 'integer', minimum: 0 };
  const day = { type: 'string', format: 'date' };
  const perDay = {
    type: 'array',
    items: count,
    maxItems: MAX_REPORT_DAYS,
    description: 'One per day, oldest first',
  };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to', 'editions', 'feeds', 'feedsOmitted', 'notCounted'],
    description:
      'Daily subscriber estimates (UTC days): hosted readers’ own counts (largest per feed id that day, summed over ' +
      'their feed ids) plus one per distinct other reader (a daily-salted hash of address and User-Agent; no ' +
      'address is stored). Crawlers, browsers and services that report no count are left out, listed in notCounted.',
    properties: {
      from: day,
      to: day,
      editions: {
        type: 'array',
        description:
          'Subscriptions per edition (its feeds, its sections’ and its Top Stories’), and `authors`, `topics`',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['edition', 'subscribers'],
          properties: { edition: { enum: [...editions, 'authors', 'topics'] }, subscribers: perDay },
        },
      },
      feeds: {
        type: 'array',
        maxItems: MAX_REPORT_FEEDS,
        description: 'Feeds requested in the range, the most followed on the last day first',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['feed', 'url', 'days', 'readers'],
          properties: {
            feed: {
              type: 'string',
              description: 'The feed’s folder: europe, europe/world, europe/top, authors/{id}, topics/{slug}',
            },
            url: {
              type: 'string',
              format: 'uri',
              description: 'Its page; the feeds are rss.xml, atom.xml and feed.json there',
            },
            edition: { enum: editions },
            days: {
              type: 'array',
              maxItems: MAX_REPORT_DAYS,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['date', 'subscribers', 'rss', 'atom', 'json'],
                properties: { date: day, subscribers: count, rss: count, atom: count, json: count },
              },
            },
            readers: {
              type: 'array',
              maxItems: REPORT_READERS,
              description: 'Who followed it on the last day, the largest first',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'kind', 'subscribers'],
                properties: {
                  name: { type: 'string' },
                  kind: {
                    enum: ['hosted', 'reader'],
                    description: 'hosted: its own count; reader: distinct clients',
                  },
                  subscribers: count,
                },
              },
            },
          },
        },
      },
      feedsOmitted: count,
      notCounted: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'family', 'clients'],
          properties: { kind: { enum: [...UNCOUNTED_KINDS] }, family: { type: 'string' }, clients: perDay },
        },
      },
    },
  };
}

const json = (schema: Json) => ({ 'application/json': { schema } });
const problem = { 'application/problem+json': { schema: ref('Problem') } };

/** The problem responses an operation may answer with, each described by its problem page. */
function problems(statuses: number[], config: SiteConfig, when: Record<number, string> = {}): Json {
  return Object.fromEntries(
    statuses.map((status) => {
      const type = problemForStatus(status);
      return [
        String(status),
        {
          description: `${when[status] ?? `${type.title}: ${proseOf(type).meaning}`} See ${problemTypeUrl(config.baseUrl, type.type)}`,
          content: problem,
        },
      ];
    }),
  );
}

const etag = {
  ETag: { schema: { type: 'string' }, description: 'Strong entity tag of the version: `"v3"`' },
};
const cacheHeaders = {
  ETag: { schema: { type: 'string' } },
  'Last-Modified': { schema: { type: 'string' } },
  'Cache-Control': { schema: { type: 'string' } },
};
/** Feed responses also name the WebSub hub, when one is configured. */
const feedHeaders = {
  ...cacheHeaders,
  Link: {
    schema: { type: 'string' },
    description: 'With a WebSub hub configured: `<hub>; rel="hub", <this feed>; rel="self"` (WebSub §4)',
  },
};
const conditionalParams = [
  { name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'Quoted ETags, or *' },
  { name: 'If-None-Match', in: 'header', schema: { type: 'string' }, description: '`*`: create only' },
];
const authenticated = [{ bearer: [] }];
const WRITE_ERRORS = [400, 401, 403, 404, 412, 413, 415, 429, 503];
const READ_ERRORS = [400, 401, 403, 404, 429, 503];

/** The operations of one route, by method (lower case), as OpenAPI describes them. */
function operationsOf(route: Route, config: SiteConfig): Json | undefined {
  const pathParam = (name: string, description: string, schema: Json = { type: 'string' }) => ({
    name,
    in: 'path',
    required: true,
    description,
    schema,
  });
  const id = pathParam('id', 'The article id: letters, digits, ".", "_" or "-"', {
    type: 'string',
    pattern: ARTICLE_ID.source,
  });
  switch (route.operation) {
    case 'article':
      return {
        get: {
          operationId: 'getArticle',
          summary: 'The stored article, withdrawn ones too',
          security: authenticated,
          parameters: [id],
          responses: {
            '200': { description: 'The article', headers: etag, content: json(ref('Article')) },
            ...problems(READ_ERRORS, config),
          },
        },
        put: {
          operationId: 'putArticle',
          summary: 'Create (201) or replace (200) an article',
          security: authenticated,
          parameters: [id, ...conditionalParams],
          requestBody: {
            required: true,
            description: `JSON, at most ${MAX_REQUEST_BYTES} bytes`,
            content: json(ref('ArticleInput')),
          },
          responses: {
            '200': { description: 'Replaced', headers: etag, content: json(ref('WriteResult')) },
            '201': {
              description: 'Created',
              headers: { ...etag, Location: { schema: { type: 'string' } } },
              content: json(ref('WriteResult')),
            },
            ...problems(WRITE_ERRORS, config),
          },
        },
        delete: {
          operationId: 'withdrawArticle',
          summary: 'Withdraw: gone from every feed, tombstone and revisions kept; twice is a no-op',
          security: authenticated,
          parameters: [id, conditionalParams[0]],
          responses: {
            '200': { description: 'The withdrawn article', headers: etag, content: json(ref('Article')) },
            ...problems(WRITE_ERRORS, config),
          },
        },
      };
    case 'revisions':
      return {
        get: {
          operationId: 'listRevisions',
          summary: `Earlier versions, newest first, ${REVISIONS_PAGE} a page`,
          security: authenticated,
          parameters: [
            id,
            {
              name: 'before',
              in: 'query',
              schema: { type: 'integer', minimum: 1 },
              description: 'Versions older than this one',
            },
          ],
          responses: {
            '200': {
              description: 'One page',
              headers: {
                Link: { schema: { type: 'string' }, description: '`rel="next"` to the older page' },
              },
              content: json(ref('RevisionPage')),
            },
            ...problems(READ_ERRORS, config),
          },
        },
      };
    case 'revision':
      return {
        get: {
          operationId: 'getRevision',
          summary: 'One earlier version, to restore with a normal PUT',
          security: authenticated,
          parameters: [id, pathParam('version', 'Version number', { type: 'integer', minimum: 1 })],
          responses: {
            '200': {
              description: 'The version as it was stored',
              headers: etag,
              content: json(ref('Article')),
            },
            ...problems(READ_ERRORS, config),
          },
        },
      };
    case 'topStories': {
      const edition = pathParam('edition', 'An edition id', { enum: config.editions.map((e) => e.id) });
      return {
        get: {
          operationId: 'getTopStories',
          summary: "An edition's Top Stories, in the editors' order",
          security: authenticated,
          parameters: [edition],
          responses: {
            '200': { description: 'The list', headers: etag, content: json(ref('TopStories')) },
            ...problems(READ_ERRORS, config),
          },
        },
        put: {
          operationId: 'putTopStories',
          summary: `Set an edition's Top Stories: up to ${LIMITS.topStories} article ids, in order`,
          security: authenticated,
          parameters: [edition, ...conditionalParams],
          requestBody: { required: true, content: json(ref('TopStoriesInput')) },
          responses: {
            '200': { description: 'Replaced', headers: etag, content: json(ref('TopStories')) },
            '201': { description: 'Set for the first time', headers: etag, content: json(ref('TopStories')) },
            ...problems(WRITE_ERRORS, config),
          },
        },
      };
    }
    case 'stats':
      return {
        get: {
          operationId: 'getSubscriberStats',
          summary: 'Daily subscriber estimates per feed, from readers’ User-Agents',
          security: authenticated,
          parameters: [
            {
              name: 'days',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: MAX_REPORT_DAYS, default: 30 },
              description: 'Days ending today (UTC)',
            },
            {
              name: 'feed',
              in: 'query',
              schema: { type: 'string' },
              description: 'Only this feed, by its folder (europe/world)',
            },
          ],
          responses: {
            '200': { description: 'The estimates', content: json(ref('SubscriberReport')) },
            ...problems([400, 401, 403, 429, 503], config),
          },
        },
      };
    case 'subscribers':
      return {
        get: {
          operationId: 'listSubscribers',
          summary:
            'Every subscriber token (never the token), oldest first, with its private feeds’ use today',
          security: authenticated,
          responses: {
            '200': {
              description: 'The subscribers',
              content: json({
                type: 'object',
                required: ['subscribers'],
                properties: { subscribers: { type: 'array', items: ref('Subscriber') } },
              }),
            },
            ...problems([401, 403, 429, 503], config),
          },
        },
        post: {
          operationId: 'createSubscriber',
          summary:
            'Make a subscriber token for private feeds: the token is in this answer only (the table keeps its hash)',
          security: authenticated,
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: text(SUBSCRIBER_NAME_MAX, 'Who the token is for (plain text, e.g. a customer number)'),
              },
            }),
          },
          responses: {
            '201': {
              description:
                'Made: `token` names the private feeds, /private/{token}/ then any feed path (shown once)',
              headers: { Location: { schema: { type: 'string' } } },
              content: json({
                allOf: [
                  ref('Subscriber'),
                  {
                    type: 'object',
                    required: ['token'],
                    properties: { token: { type: 'string', pattern: '^ns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' } },
                  },
                ],
              }),
            },
            ...problems([400, 401, 403, 413, 415, 429, 503], config),
          },
        },
      };
    case 'subscriber':
      return {
        delete: {
          operationId: 'revokeSubscriber',
          summary:
            'Revoke a subscriber token: its private feeds answer 404, like an unknown token’s, from the next request',
          security: authenticated,
          parameters: [pathParam('id', 'The subscriber id', { type: 'string', pattern: '^[0-9a-f]{16}$' })],
          responses: {
            '200': {
              description: 'Revoked (revoking again changes nothing)',
              content: json({
                type: 'object',
                required: ['subscriberId', 'status'],
                properties: { subscriberId: { type: 'string' }, status: { const: 'revoked' } },
              }),
            },
            ...problems([401, 403, 404, 429, 503], config),
          },
        },
      };
    case 'openapi':
      return {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document (no key needed)',
          security: PUBLIC,
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: json({
                type: 'object',
                required: ['openapi', 'paths'],
                properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
              }),
            },
            ...throttled,
          },
        },
      };
    case 'unknownApi':
      return undefined;
  }
  return undefined;
}

/** Public operations: no key. */
const PUBLIC: Json[] = [];

/** API Gateway's own answer when a route's request rate is exceeded. */
const throttled = {
  '429': {
    description: 'Too many requests: the API is throttling this route; try again in a few seconds',
    content: json({ type: 'object', properties: { message: { type: 'string' } } }),
  },
};

/** Each kind of feed scope with its URL's placeholders: one entry per kind, as every scope rule has. */
const SCOPE_TEMPLATES: { readonly [K in FeedScope['kind']]: Extract<FeedScope, { kind: K }> } = {
  edition: { kind: 'edition', edition: '{edition}' },
  section: { kind: 'section', edition: '{edition}', section: '{section}' },
  top: { kind: 'top', edition: '{edition}' },
  author: { kind: 'author', author: '{author}' },
  topic: { kind: 'topic', topic: '{topic}' },
};

/** What each kind of scope is called in summaries, and the start of its operation ids. */
const SCOPE_NAMES: { readonly [K in FeedScope['kind']]: { what: string; id: string } } = {
  edition: { what: "An edition's stories, every section", id: 'Edition' },
  section: { what: 'One section of an edition', id: 'Section' },
  top: { what: "An edition's Top Stories, in the editors' order", id: 'TopStories' },
  author: { what: "One writer's stories, from every edition", id: 'Writer' },
  topic: { what: "One topic's stories, from every edition", id: 'Topic' },
};

/** A scope's folder as an OpenAPI path template: `/{edition}/top/` (scopePath, with its placeholders unescaped). */
function templatePath(scope: FeedScope): string {
  return decodeURIComponent(scopePath(scope));
}

const SLUG = { type: 'string', pattern: '^[\\p{Ll}\\p{Lo}\\p{N}]+(-[\\p{Ll}\\p{Lo}\\p{N}]+)*$' };

/** The path parameters of a scope kind's URL, each with the values it takes. */
function scopeParameters(scope: FeedScope, config: SiteConfig): Json[] {
  const param = (name: string, description: string, schema: Json) => ({
    name,
    in: 'path',
    required: true,
    description,
    schema,
  });
  const edition = param('edition', 'An edition id', { enum: config.editions.map((e) => e.id) });
  switch (scope.kind) {
    case 'edition':
    case 'top':
      return [edition];
    case 'section':
      return [edition, param('section', 'A section id', { enum: config.sections.map((x) => x.id) })];
    case 'author':
      return [param('author', "The writer's byline id, else a slug of their name (`ana-ortiz`)", SLUG)];
    case 'topic':
      return [param('topic', 'A slug of the topic (`Drug resistance` → `drug-resistance`)', SLUG)];
  }
}

/** GET and HEAD of one public document: HEAD answers with the same headers and no body. */
function readOperations(get: Json & { operationId: string; summary: string }): Json {
  return {
    get,
    head: { ...get, operationId: `${get.operationId}Head`, summary: `${get.summary} (headers only)` },
  };
}

/** One feed: a scope kind in one format. */
function feedOperations(scope: FeedScope, format: FeedFormat, config: SiteConfig): Json {
  const mediaType = FEED_CONTENT_TYPES[format].split(';')[0]!;
  const names = SCOPE_NAMES[scope.kind];
  const missing =
    scope.kind === 'author' || scope.kind === 'topic'
      ? 'No such edition, section, writer or topic (a writer or topic with no published story)'
      : 'No such edition or section';
  return readOperations({
    operationId: `get${names.id}${format === 'rss' ? 'Rss' : format === 'atom' ? 'Atom' : 'Json'}Feed`,
    summary: `${names.what} (${FEED_NAMES[format]})`,
    description:
      'Newest first, published stories only, one page at a time; `ETag` and `Last-Modified` answer ' +
      'conditional requests with 304 without rendering anything.',
    security: PUBLIC,
    parameters: [
      ...scopeParameters(scope, config),
      ...(scope.kind === 'top'
        ? []
        : [
            {
              name: 'after',
              in: 'query',
              schema: { type: 'string' },
              description: 'An older page (RFC 5005): follow the feed’s next link, never build one',
            },
          ]),
      { name: 'If-None-Match', in: 'header', schema: { type: 'string' } },
      { name: 'If-Modified-Since', in: 'header', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'The feed page',
        headers: feedHeaders,
        content: { [mediaType]: { schema: format === 'json' ? ref('JsonFeed') : { type: 'string' } } },
      },
      '304': { description: 'Not modified (no body)', headers: feedHeaders },
      ...problems([400, 404, 405, 429, 503], config, { 404: missing }),
    },
  });
}

/** A news app's feed of an edition or section: RSS 2.0 shaped to that app, when the site lists it. */
function partnerFeedOperations(scope: FeedScope, config: SiteConfig): Json {
  const names = SCOPE_NAMES[scope.kind];
  return readOperations({
    operationId: `get${names.id}PartnerFeed`,
    summary: `${names.what} for a news app (RSS 2.0 shaped to that app's specification)`,
    description:
      'One page: the newest stories within the app’s item and size limits (docs/partners.md). Only for ' +
      'the apps the site lists in its config; SmartNews takes one feed per edition, not per section.',
    security: PUBLIC,
    parameters: [
      ...scopeParameters(scope, config),
      {
        name: 'partner',
        in: 'path',
        required: true,
        description: 'The news app',
        schema: { enum: config.partners.length > 0 ? [...config.partners] : [...PARTNER_IDS] },
      },
      { name: 'If-None-Match', in: 'header', schema: { type: 'string' } },
      { name: 'If-Modified-Since', in: 'header', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'The feed',
        headers: feedHeaders,
        content: { 'application/rss+xml': { schema: { type: 'string' } } },
      },
      '304': { description: 'Not modified (no body)', headers: feedHeaders },
      ...problems([400, 404, 405, 429, 503], config, {
        404: 'No such edition or section, or a news app the site does not syndicate to',
      }),
    },
  });
}

/** A subscriber's private feed answers: no shared cache may keep it, and no search engine index it. */
const privateFeedHeaders = {
  ...cacheHeaders,
  'X-Robots-Tag': { schema: { const: 'noindex' } },
};

/**
 * A subscriber's private copy of one feed (a format's or a news app's, whose operations are
 * `operations`): `/private/{token}/` then the feed's path, premium stories in full.
 */
function privateFeedOperations(operations: Json, config: SiteConfig): Json {
  const { get } = operations as {
    get: { operationId: string; summary: string; description: string; parameters: Json[]; responses: Json };
  };
  const responses = get.responses as { '200': Json; '304': Json };
  return readOperations({
    ...get,
    operationId: get.operationId.replace(/^get/, 'getPrivate'),
    summary: `${get.summary}, a subscriber’s private copy`,
    description:
      `${get.description} Premium stories carry their full text, and every link inside carries the same token. ` +
      '`Cache-Control: private, no-cache` (no shared cache keeps it), `X-Robots-Tag: noindex`, no hub link. ' +
      'An unknown, wrong or revoked token gets the same 404; a client that sends too many wrong tokens gets 429.',
    parameters: [
      {
        name: 'token',
        in: 'path',
        required: true,
        description: 'A subscriber token from `POST /api/subscribers`: the address’s secret',
        schema: { type: 'string', pattern: '^ns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' },
      },
      ...get.parameters,
    ],
    responses: {
      '200': { ...responses['200'], headers: privateFeedHeaders },
      '304': { ...responses['304'], headers: privateFeedHeaders },
      ...problems([400, 404, 405, 429, 503], config, {
        404: 'No such feed, or the token is unknown, wrong or revoked (one answer for all)',
      }),
    },
  });
}

const html = { 'text/html': { schema: { type: 'string' } } };

/** An HTML page or OPML list: 200, 304, and a 404 page for a path that names nothing. */
function documentOperations(
  operationId: string,
  summary: string,
  mediaType: string,
  notFound: string | undefined,
): Json {
  return readOperations({
    operationId,
    summary,
    security: PUBLIC,
    responses: {
      '200': {
        description: summary,
        headers: cacheHeaders,
        content: { [mediaType]: { schema: { type: 'string' } } },
      },
      '304': { description: 'Not modified (no body)', headers: cacheHeaders },
      ...(notFound !== undefined && { '404': { description: notFound, content: html } }),
      ...throttled,
    },
  });
}

/** The path of the API reference (this document, as a page for people). */
export const API_REFERENCE_PATH = '/api/';

/**
 * The public documents, one path per kind: each kind of feed in each format,
 * each kind of page, the OPML lists and the API reference. Their URLs come
 * from the same rules the site builds its links with (scopePath, FEED_FILES, opmlUrl).
 */
function publicPaths(config: SiteConfig): Json {
  const paths: Json = {
    [API_REFERENCE_PATH]: readOperations({
      operationId: 'getApiReference',
      summary: 'This API reference, as a page for people',
      security: PUBLIC,
      responses: {
        '200': { description: 'HTML page', headers: cacheHeaders, content: html },
        '304': { description: 'Not modified (no body)', headers: cacheHeaders },
        ...throttled,
      },
    }),
  };
  const scopes = Object.values(SCOPE_TEMPLATES) as FeedScope[];
  for (const scope of scopes) {
    for (const format of FEED_FORMATS) {
      paths[`${templatePath(scope)}${FEED_FILES[format]}`] = feedOperations(scope, format, config);
    }
  }
  for (const scope of [SCOPE_TEMPLATES.edition, SCOPE_TEMPLATES.section]) {
    paths[`${templatePath(scope)}partners/{partner}.xml`] = partnerFeedOperations(scope, config);
  }
  // Subscribers' private copies: every feed path above under `/private/{token}`.
  for (const path of Object.keys(paths).filter((p) => p !== API_REFERENCE_PATH)) {
    paths[`/${PRIVATE_FOLDER}/{token}${path}`] = privateFeedOperations(paths[path] as Json, config);
  }
  paths['/'] = documentOperations(
    'getHomePage',
    'Every edition and section, and how to subscribe',
    'text/html',
    undefined,
  );
  for (const scope of scopes) {
    const names = SCOPE_NAMES[scope.kind];
    paths[templatePath(scope)] = documentOperations(
      `get${names.id}Page`,
      `${names.what}: the page, with autodiscovery links to its feeds`,
      'text/html',
      'An HTML page saying that nothing lives there',
    );
  }
  const opml = OPML_CONTENT_TYPE.split(';')[0]!;
  paths[opmlUrl('')] = documentOperations(
    'getOpml',
    'One feed per edition, as an OPML subscription list',
    opml,
    undefined,
  );
  paths[opmlUrl('', '{edition}')] = {
    ...documentOperations(
      'getEditionOpml',
      "One edition's feeds (its own, Top Stories, sections, the writers and topics of its latest stories, its news apps' feeds), as OPML",
      opml,
      'No such edition',
    ),
    parameters: scopeParameters(SCOPE_TEMPLATES.edition, config),
  };
  for (const scope of scopes) {
    paths[templatePath(scope)] = {
      ...(paths[templatePath(scope)] as Json),
      parameters: scopeParameters(scope, config),
    };
  }
  return paths;
}

/** What else the site serves, described so clients know what to expect there. */
function otherFilesDescription(): string {
  return (
    'Besides the paths below, the site serves a story’s page at `/{edition}/{section}/{id}/` (text/html; ' +
    '301 once it moved, 404 until it is published, 410 once withdrawn), sitemaps (application/xml: `/sitemap.xml`, ' +
    '`/sitemap-fronts.xml`, `/{edition}/{section}/sitemap-YYYY-MM.xml`, `/authors/sitemap-YYYY-MM.xml`, ' +
    '`/topics/sitemap-YYYY-MM.xml`, `/{edition}/news-sitemap.xml`), ' +
    '`/problems/` and `/problems/{type}` (what each API problem means, ' +
    'text/html), `/assets/…`, `/favicon.ico` and `/robots.txt`. Unknown pages are an HTML 404; unknown files ' +
    'a problem+json 404.'
  );
}

const cached = new WeakMap<SiteConfig, Json>();

/** The OpenAPI 3.1 document of the API for a site. */
export function openApiDocument(config: SiteConfig): Json {
  let document = cached.get(config);
  if (document !== undefined) return document;
  const paths: Json = {};
  for (const route of ROUTES) {
    const operations = operationsOf(route, config);
    if (operations !== undefined) paths[route.path] = operations;
  }
  document = {
    openapi: '3.1.0',
    info: {
      title: `${config.title} API`,
      version: '1',
      description: `The write API a CMS publishes with (bearer API keys), the public feeds and pages, and subscribers’ private copies of every feed (\`/private/{token}/…\`). ${otherFilesDescription()}`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the API is wherever this document is served from (a custom domain or the distribution's own).
    servers: [{ url: '/', description: `This site (${config.baseUrl} as configured)` }],
    paths: { ...paths, ...publicPaths(config) },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from `newswire keys create`: `nw_<id>_<secret>`',
        },
      },
      schemas: schemas(config),
    },
  };
  cached.set(config, document);
  return document;
}
