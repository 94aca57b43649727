import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The AWS Regions where CloudFront offers Origin Shield (CloudFront Developer Guide,
 * "Choosing the AWS Region for Origin Shield"): those with a regional edge cache.
 */
export const ORIGIN_SHIELD_SITES = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'sa-east-1',
] as const;

/** A Region where Origin Shield runs. */
export type OriginShieldSite = (typeof ORIGIN_SHIELD_SITES)[number];

/**
 * The Origin Shield Region for an origin in each commercial AWS Region. A Region that
 * offers Origin Shield uses itself; for the others AWS's guide names the nearest
 * (us-west-1, ca-central-1, eu-west-3, eu-north-1, eu-south-1, af-south-1, me-south-1,
 * ap-east-1). Regions opened after that table was written are not in it; they take
 * the Origin Shield Region nearest by network geography, marked "nearest" below, and
 * any of them can be overridden with `-c originShieldRegion=…`. test/infra checks that
 * every commercial Region the installed aws-cdk-lib knows is here.
 */
export const ORIGIN_SHIELD_REGIONS: Readonly<Record<string, OriginShieldSite>> = {
  'us-east-1': 'us-east-1',
  'us-east-2': 'us-east-2',
  'us-west-2': 'us-west-2',
  'ap-south-1': 'ap-south-1',
  'ap-northeast-1': 'ap-northeast-1',
  'ap-northeast-2': 'ap-northeast-2',
  'ap-southeast-1': 'ap-southeast-1',
  'ap-southeast-2': 'ap-southeast-2',
  'eu-central-1': 'eu-central-1',
  'eu-west-1': 'eu-west-1',
  'eu-west-2': 'eu-west-2',
  'sa-east-1': 'sa-east-1',
  // AWS's table of Regions without Origin Shield.
  'us-west-1': 'us-west-2',
  'ca-central-1': 'us-east-1',
  'eu-west-3': 'eu-west-2',
  'eu-north-1': 'eu-west-2',
  'eu-south-1': 'eu-central-1',
  'af-south-1': 'eu-west-1',
  'me-south-1': 'ap-south-1',
  'ap-east-1': 'ap-southeast-1',
  // Nearest Origin Shield Region.
  'ap-northeast-3': 'ap-northeast-1', // Osaka → Tokyo
  'ap-east-2': 'ap-northeast-1', // Taipei → Tokyo
  'ap-south-2': 'ap-south-1', // Hyderabad → Mumbai
  'ap-southeast-3': 'ap-southeast-1', // Jakarta → Singapore
  'ap-southeast-4': 'ap-southeast-2', // Melbourne → Sydney
  'ap-southeast-5': 'ap-southeast-1', // Malaysia → Singapore
  'ap-southeast-6': 'ap-southeast-2', // New Zealand → Sydney
  'ap-southeast-7': 'ap-southeast-1', // Thailand → Singapore
  'ca-west-1': 'us-west-2', // Calgary → Oregon
  'eu-central-2': 'eu-central-1', // Zurich → Frankfurt
  'eu-south-2': 'eu-central-1', // Spain → Frankfurt (as Milan)
  'il-central-1': 'eu-central-1', // Tel Aviv → Frankfurt
  'me-central-1': 'ap-south-1', // UAE → Mumbai (as Bahrain)
  'me-west-1': 'ap-south-1', // Saudi Arabia → Mumbai (as Bahrain)
  'mx-central-1': 'us-east-2', // Querétaro → Ohio
};

/** Picks the Origin Shield region for the stack's region, or checks the one given with -c originShieldRegion. */
// Env-agnostic stacks do not know their region at synth time: a template mapping then
// lets CloudFormation resolve it in the region it deploys to.
export function originShieldRegionFor(scope: Construct, override?: string): string {
  if (override !== undefined) {
    if (!(ORIGIN_SHIELD_SITES as readonly string[]).includes(override)) {
      throw new Error(
        `Origin Shield does not run in ${override}; choose one of ${ORIGIN_SHIELD_SITES.join(', ')}`,
      );
    }
    return override;
  }
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    const shield = ORIGIN_SHIELD_REGIONS[region];
    if (shield === undefined) {
      throw new Error(
        `No Origin Shield region is known for ${region}; pass -c originShieldRegion=<nearest of ${ORIGIN_SHIELD_SITES.join(', ')}>`,
      );
    }
    return shield;
  }
  const mapping = new CfnMapping(scope, 'OriginShieldRegions', {
    mapping: Object.fromEntries(
      Object.entries(ORIGIN_SHIELD_REGIONS).map(([origin, shield]) => [origin, { shield }]),
    ),
  });
  return mapping.findInMap(Aws.REGION, 'shield');
}
