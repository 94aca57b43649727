import type { SiteConfig } from '../core/config.ts';
import { optionalEnv } from '../env.ts';
import { header } from './request.ts';
import type { HttpEvent } from './types.ts';

/** The header CloudFront's viewer-request function sets to the Host the reader asked for. */
export const VIEWER_HOST_HEADER = 'x-newswire-host';

/** A plain DNS host name: labels of letters, digits and inner hyphens, no port, user or path. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

let baseUrlIsFixed: boolean | undefined;
/**
 * Configs rebased per address, for the config they were made from: a site has
 * one or two addresses (its domain, the distribution's), so a request keeps
 * finding the same object, and what is cached per config (its fingerprint)
 * stays cached. Bounded, since the header can name any host on a direct call.
 */
const rebasedConfigs = new WeakMap<SiteConfig, Map<string, SiteConfig>>();
const MAX_ADDRESSES = 8;

/**
 * The dependencies with the site's address set for this request. NEWSWIRE_BASE_URL (a
 * custom domain, or the local server) wins; otherwise a valid `x-newswire-host` from
 * CloudFront makes it `https://<host>`, so links, logo and icon follow the address the
 * reader used; otherwise baseUrl of newswire.config.ts stands.
 */
export function forRequest<D extends { config: SiteConfig }>(event: HttpEvent, deps: D): D {
  baseUrlIsFixed ??= optionalEnv('NEWSWIRE_BASE_URL') !== undefined;
  if (baseUrlIsFixed) return deps;
  const host = header(event, VIEWER_HOST_HEADER)?.trim().toLowerCase();
  if (host === undefined || !HOST_NAME.test(host)) return deps;
  const baseUrl = `https://${host}`;
  if (baseUrl === deps.config.baseUrl) return deps;
  let byAddress = rebasedConfigs.get(deps.config);
  if (byAddress === undefined) {
    byAddress = new Map();
    rebasedConfigs.set(deps.config, byAddress);
  }
  let rebased = byAddress.get(baseUrl);
  if (rebased === undefined) {
    if (byAddress.size >= MAX_ADDRESSES) byAddress.clear();
    rebased = rebase(deps.config, baseUrl);
    byAddress.set(baseUrl, rebased);
  }
  return { ...deps, config: rebased };
}

/** The config with baseUrl replaced, and every URL that lived under the old baseUrl moved with it. */
function rebase(config: SiteConfig, baseUrl: string): SiteConfig {
  const move = (url: string | undefined): string | undefined =>
    url !== undefined && (url === config.baseUrl || url.startsWith(`${config.baseUrl}/`))
      ? `${baseUrl}${url.slice(config.baseUrl.length)}`
      : url;
  const logoUrl = move(config.logoUrl);
  const iconUrl = move(config.iconUrl);
  return {
    ...config,
    baseUrl,
    ...(logoUrl !== undefined && { logoUrl }),
    ...(iconUrl !== undefined && { iconUrl }),
  };
}
