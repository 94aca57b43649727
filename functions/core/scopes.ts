import type { Article, ArticleContent, Byline } from './article.ts';
import type { SiteConfig } from './config.ts';
import { editionsOf, findEdition, findSection } from './editions.ts';
import { NotFoundError } from './errors.ts';
import { slugify } from './text.ts';

/**
 * Every feed has one scope. Each rule about feeds — its URL path, its title,
 * its DynamoDB key (store/keys.ts), which articles belong to it — is one
 * function with one case per kind, so a new kind of feed is one new case.
 */
export type FeedScope =
  | { kind: 'edition'; edition: string }
  | { kind: 'section'; edition: string; section: string }
  /** The editors' ordered Top Stories of an edition. */
  | { kind: 'top'; edition: string }
  | { kind: 'author'; author: string }
  | { kind: 'topic'; topic: string };

/** A feed that has entries of its own (Top Stories are an editors' list instead). */
export type EntryScope = Exclude<FeedScope, { kind: 'top' }>;

/** Path segments that name a kind of feed rather than an edition or section; config ids may not use them. */
export const RESERVED_IDS = [
  'top',
  'authors',
  'topics',
  'api',
  'assets',
  'problems',
  'partners',
  'private',
] as const;

/** Display names of a writer or topic feed, taken from the articles that name them. */
export interface ScopeNames {
  author?: { name: string; title?: string };
  topic?: string;
}

/** The slug naming a writer's feed: their `id`, else a slug of their name. */
export function authorSlug(writer: Pick<Byline, 'id' | 'name'>): string {
  return writer.id ?? slugify(writer.name);
}

/** The edition a scope belongs to, if it belongs to one. */
export function scopeEdition(scope: FeedScope): string | undefined {
  return scope.kind === 'author' || scope.kind === 'topic' ? undefined : scope.edition;
}

/** Path (no host) of a scope's HTML page; its feeds are files in the same folder. */
export function scopePath(scope: FeedScope): string {
  switch (scope.kind) {
    case 'edition':
      return `/${scope.edition}/`;
    case 'section':
      return `/${scope.edition}/${scope.section}/`;
    case 'top':
      return `/${scope.edition}/top/`;
    case 'author':
      return `/authors/${encodeURIComponent(scope.author)}/`;
    case 'topic':
      return `/topics/${encodeURIComponent(scope.topic)}/`;
  }
}

/**
 * The scope a page or feed folder names (`['europe']`, `['europe', 'world']`,
 * `['europe', 'top']`, `['authors', slug]`, `['topics', slug]`), checked
 * against the config; NotFoundError when it names nothing.
 */
export function scopeOfPath(config: SiteConfig, segments: readonly string[]): FeedScope {
  const [first = '', second, ...rest] = segments;
  if (rest.length > 0 || first === '') throw new NotFoundError(`No page or feed at /${segments.join('/')}/`);
  let scope: FeedScope;
  if (first === 'authors' || first === 'topics') {
    if (second === undefined || second === '' || slugify(second) !== second) {
      throw new NotFoundError(`No ${first === 'authors' ? 'writer' : 'topic'} "${second ?? ''}"`);
    }
    scope = first === 'authors' ? { kind: 'author', author: second } : { kind: 'topic', topic: second };
  } else if (second === undefined) {
    scope = { kind: 'edition', edition: first };
  } else if (second === 'top') {
    scope = { kind: 'top', edition: first };
  } else {
    scope = { kind: 'section', edition: first, section: second };
  }
  checkScope(config, scope);
  return scope;
}

/** Checks that a scope names a configured edition (and section); throws NotFoundError otherwise. */
export function checkScope(config: SiteConfig, scope: FeedScope): void {
  const edition = scopeEdition(scope);
  if (edition !== undefined) findEdition(config, edition);
  if (scope.kind === 'section') findSection(config, scope.section);
}

/** Language of a scope's feed and page: its edition's, else the site's. */
export function scopeLanguage(config: SiteConfig, scope: FeedScope): string {
  const edition = scopeEdition(scope);
  return edition === undefined ? config.language : findEdition(config, edition).language;
}

function writerLabel(scope: { author: string }, names: ScopeNames | undefined): string {
  const author = names?.author;
  if (author === undefined) return scope.author;
  return author.title === undefined ? author.name : `${author.name}, ${author.title}`;
}

/** Title of a feed, as its channel and page name it: `Newswire — Europe — World`. */
export function scopeTitle(config: SiteConfig, scope: FeedScope, names?: ScopeNames): string {
  switch (scope.kind) {
    case 'edition':
      return `${config.title} — ${findEdition(config, scope.edition).title}`;
    case 'section':
      return `${config.title} — ${findEdition(config, scope.edition).title} — ${findSection(config, scope.section).title}`;
    case 'top':
      return `${config.title} — ${findEdition(config, scope.edition).title} — Top Stories`;
    case 'author':
      return `${config.title} — ${writerLabel(scope, names)}`;
    case 'topic':
      return `${config.title} — ${names?.topic ?? scope.topic}`;
  }
}

/** Description of a feed and its page. */
export function scopeDescription(config: SiteConfig, scope: FeedScope, names?: ScopeNames): string {
  switch (scope.kind) {
    case 'edition':
      return findEdition(config, scope.edition).description;
    case 'section': {
      const edition = findEdition(config, scope.edition);
      const section = findSection(config, scope.section);
      return `${section.title} from the ${edition.title} edition of ${config.title}. ${edition.description}`;
    }
    case 'top': {
      const edition = findEdition(config, scope.edition);
      return `The stories the ${edition.title} desk's editors rank highest, in their order. ${edition.description}`;
    }
    case 'author':
      return `Every story by ${writerLabel(scope, names)}, from every edition of ${config.title}.`;
    case 'topic':
      return `Every ${config.title} story about ${names?.topic ?? scope.topic}, from every edition.`;
  }
}

/** Identity of a scope, unique across kinds: used in feed guids (`europe/world`, `authors/ana-ortiz`). */
export function scopeName(scope: FeedScope): string {
  return scopePath(scope).slice(1, -1);
}

function scopeIdentity(scope: FeedScope): string {
  return `${scope.kind}:${scopeName(scope)}`;
}

/**
 * Every feed an article belongs to: each of its editions, whole and by its
 * section, and the feed of each writer and topic it names (each once).
 * Top Stories are chosen by editors, not derived from the article.
 */
export function membershipsOf(
  article: Pick<ArticleContent, 'editions' | 'section' | 'byline' | 'topics'>,
  config: SiteConfig,
): EntryScope[] {
  const scopes: EntryScope[] = editionsOf(article, config).flatMap((edition): EntryScope[] => [
    { kind: 'edition', edition },
    { kind: 'section', edition, section: article.section },
  ]);
  for (const writer of article.byline) {
    const author = authorSlug(writer);
    if (author !== '') scopes.push({ kind: 'author', author });
  }
  for (const text of article.topics) {
    const topic = slugify(text);
    if (topic !== '') scopes.push({ kind: 'topic', topic });
  }
  const seen = new Set<string>();
  return scopes.filter((scope) => {
    const identity = scopeIdentity(scope);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** True when an article (as it is now) belongs in a scope's feed (Top Stories: when it is in the edition). */
export function belongsTo(
  article: Pick<ArticleContent, 'editions' | 'section' | 'byline' | 'topics'>,
  scope: FeedScope,
  config: SiteConfig,
): boolean {
  // Each kind checked directly: what membershipsOf would list, without listing it all (a hot path).
  switch (scope.kind) {
    case 'top':
    case 'edition':
      return editionsOf(article, config).includes(scope.edition);
    case 'section':
      return article.section === scope.section && editionsOf(article, config).includes(scope.edition);
    case 'author':
      return article.byline.some((writer) => authorSlug(writer) === scope.author);
    case 'topic':
      return article.topics.some((text) => slugify(text) === scope.topic);
  }
}

/**
 * True when a scope shows an article at `now` (an ISO time): fetched, not
 * withdrawn, published by then, and still belonging there.
 */
export function shownIn(
  article: Article | undefined,
  scope: FeedScope,
  config: SiteConfig,
  now: string,
): article is Article {
  return (
    article !== undefined &&
    article.withdrawnAt === undefined &&
    article.publishedAt <= now &&
    belongsTo(article, scope, config)
  );
}

/**
 * Most feed entries one article can have under this config: two per edition,
 * one per writer and one per topic. An article write changes at most twice
 * that many (old entries out, new ones in), in one DynamoDB transaction.
 */
export function maxMemberships(editionCount: number, limits: { bylines: number; topics: number }): number {
  return 2 * editionCount + limits.bylines + limits.topics;
}
