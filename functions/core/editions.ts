import type { ArticleContent } from './article.ts';
import type { Edition, Section, SiteConfig } from './config.ts';
import { NotFoundError } from './errors.ts';

/** One feed: an edition, optionally narrowed to one section. */
export interface FeedScope {
  edition: string;
  /** Undefined for the whole edition. */
  section?: string;
}

/** The editions an article appears in: those it names (all when it names none) plus every includesAll edition. */
export function editionsOf(article: Pick<ArticleContent, 'editions'>, config: SiteConfig): string[] {
  if (article.editions === undefined) return config.editions.map((e) => e.id);
  const named = new Set(article.editions);
  return config.editions.filter((e) => e.includesAll || named.has(e.id)).map((e) => e.id);
}

/** Every feed an article belongs to: each of its editions, whole and by its section. */
export function membershipsOf(
  article: Pick<ArticleContent, 'editions' | 'section'>,
  config: SiteConfig,
): FeedScope[] {
  return editionsOf(article, config).flatMap((edition) => [
    { edition },
    { edition, section: article.section },
  ]);
}

/** Looks up an edition by id, or throws NotFoundError. */
export function findEdition(config: SiteConfig, id: string): Edition {
  const edition = config.editions.find((e) => e.id === id);
  if (edition === undefined) throw new NotFoundError(`No edition "${id}"`);
  return edition;
}

/** Looks up a section by id, or throws NotFoundError. */
export function findSection(config: SiteConfig, id: string): Section {
  const section = config.sections.find((s) => s.id === id);
  if (section === undefined) throw new NotFoundError(`No section "${id}"`);
  return section;
}

/** The edition that serves a viewer's country (ISO 3166 alpha-2), if any. */
export function editionForCountry(config: SiteConfig, country: string | undefined): Edition | undefined {
  if (country === undefined) return undefined;
  const code = country.trim().toUpperCase();
  return config.editions.find((e) => e.countries.includes(code));
}

/** Title of a feed, as its channel names itself: `Newswire — Europe — World`. */
export function feedTitle(config: SiteConfig, scope: FeedScope): string {
  const edition = findEdition(config, scope.edition);
  const section = scope.section === undefined ? undefined : findSection(config, scope.section);
  return [config.title, edition.title, section?.title].filter((t) => t !== undefined).join(' — ');
}

/** Description of an edition or section, as its feed and page describe it. */
export function scopeDescription(config: SiteConfig, scope: FeedScope): string {
  const edition = findEdition(config, scope.edition);
  if (scope.section === undefined) return edition.description;
  const section = findSection(config, scope.section);
  return `${section.title} from the ${edition.title} edition of ${config.title}. ${edition.description}`;
}

/** Checks that a scope names a configured edition (and section); throws NotFoundError otherwise. */
export function checkScope(config: SiteConfig, scope: FeedScope): void {
  findEdition(config, scope.edition);
  if (scope.section !== undefined) findSection(config, scope.section);
}
