/** XML namespaces the RSS and Atom feeds use beyond their own. */
export const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  media: 'http://search.yahoo.com/mrss/',
  /** schema.org, for a writer's job title inside an Atom person construct. */
  schema: 'http://schema.org/',
  /** SmartNews's SmartFormat. */
  snf: 'http://www.smartnews.be/snf',
  /** Feedly's brand elements. */
  webfeeds: 'http://webfeeds.org/rss/1.0',
} as const;
