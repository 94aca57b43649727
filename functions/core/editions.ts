import type { ArticleContent } from './article.ts';
import type { Edition, Section, SiteConfig } from './config.ts';
import { NotFoundError } from './errors.ts';

/** The editions an article appears in: those it names (all when it names none) plus every includesAll edition. */
export function editionsOf(article: Pick<ArticleContent, 'editions'>, config: SiteConfig): string[] {
  if (article.editions === undefined) return config.editions.map((e) => e.id);
  const named = new Set(article.editions);
  return config.editions.filter((e) => e.includesAll || named.has(e.id)).map((e) => e.id);
}

/**
 * The edition an article's own address lives in when no edition is asked
 * for (writer and topic feeds, the API): the preferred one if the article is
 * in it, else the site's default edition, else the first of its editions.
 */
export function homeEdition(
  article: Pick<ArticleContent, 'editions'>,
  config: SiteConfig,
  preferred?: string,
): string {
  const editions = editionsOf(article, config);
  if (preferred !== undefined && editions.includes(preferred)) return preferred;
  if (editions.includes(config.defaultEdition)) return config.defaultEdition;
  return editions[0] ?? config.defaultEdition;
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
