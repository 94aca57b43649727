import type { SiteConfig } from './config.ts';
import { NotFoundError } from './errors.ts';
import { PARTNERS, type PartnerId } from './partners.ts';
import type { FeedScope } from './scopes.ts';

/** The partner feeds of one edition (or section) that the config enables: one per enabled partner. */
export function partnerFeeds(config: SiteConfig, scope: FeedScope): PartnerId[] {
  if (scope.kind === 'edition') return config.partners;
  if (scope.kind === 'section') return config.partners.filter((id) => PARTNERS[id].editionsOnly !== true);
  return [];
}

/**
 * Checks that a partner feed exists: the config enables the partner, and the
 * scope is an edition, or a section for a partner that takes sections.
 * NotFoundError otherwise, as for any feed that is not there.
 */
export function checkPartnerFeed(config: SiteConfig, scope: FeedScope, partner: PartnerId): void {
  if (!partnerFeeds(config, scope).includes(partner)) {
    throw new NotFoundError(
      config.partners.includes(partner)
        ? `${PARTNERS[partner].name} takes one feed per edition${PARTNERS[partner].editionsOnly ? '' : ' and section'}`
        : `This site does not syndicate to ${PARTNERS[partner].name}`,
    );
  }
}
