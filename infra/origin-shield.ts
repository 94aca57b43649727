import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The Origin Shield region AWS recommends for an origin in each region (CloudFront Developer Guide). */
// The same region where Origin Shield runs, otherwise the nearest one that does.
export const ORIGIN_SHIELD_REGIONS: Readonly<Record<string, string>> = {
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
  'us-west-1': 'us-west-2',
  'ca-central-1': 'us-east-1',
  'eu-west-3': 'eu-west-2',
  'eu-north-1': 'eu-west-2',
  'eu-south-1': 'eu-central-1',
  'af-south-1': 'eu-west-1',
  'me-south-1': 'ap-south-1',
  'ap-east-1': 'ap-southeast-1',
  'ap-northeast-3': 'ap-northeast-1',
};

/** Picks the Origin Shield region for the stack's region, or checks the one given with -c originShieldRegion. */
// Env-agnostic stacks do not know their region at synth time: a template mapping then
// lets CloudFormation resolve it in the region it deploys to.
export function originShieldRegionFor(scope: Construct, override?: string): string {
  const supported = new Set(Object.values(ORIGIN_SHIELD_REGIONS));
  if (override !== undefined) {
    if (!supported.has(override)) {
      throw new Error(
        `Origin Shield does not run in ${override}; choose one of ${[...supported].join(', ')}`,
      );
    }
    return override;
  }
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    const shield = ORIGIN_SHIELD_REGIONS[region];
    if (shield === undefined) {
      throw new Error(
        `No Origin Shield region is known for ${region}; pass -c originShieldRegion=<nearest supported region>`,
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
