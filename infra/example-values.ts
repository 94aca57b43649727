import type { SiteConfig } from '../functions/core/config.ts';

/** A setting of newswire.config.ts that still names a domain reserved for examples. */
export interface ExampleValue {
  readonly field: 'baseUrl' | 'tagAuthority';
  readonly value: string;
}

// RFC 2606 / RFC 6761: names that can never be anyone's real site.
const RESERVED = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;

/** The settings that must be made the publisher's own before a deploy: baseUrl and tagAuthority. */
export function exampleValuesIn(site: Pick<SiteConfig, 'baseUrl' | 'tagAuthority'>): ExampleValue[] {
  const baseHost = new URL(site.baseUrl).hostname.toLowerCase();
  const tagHost = (site.tagAuthority.split(',')[0] ?? '').toLowerCase();
  return [
    ...(RESERVED.test(baseHost) ? [{ field: 'baseUrl' as const, value: site.baseUrl }] : []),
    ...(RESERVED.test(tagHost) ? [{ field: 'tagAuthority' as const, value: site.tagAuthority }] : []),
  ];
}
