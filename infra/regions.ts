import { CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { SettingsError } from './settings.ts';

/**
 * Regions where CloudFormation has no API Gateway HTTP APIs (AWS::ApiGatewayV2::Api), which Newswire's
 * origin is. From the CloudFormation resource schemas per region that cfn-lint ships (its providers data,
 * checked by test/infra/regions.test.ts against the installed cfn-lint); Lambda function URLs, the other
 * way to put a function behind CloudFront, are not offered there either (AWS Lambda Developer Guide,
 * "Creating and managing Lambda function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html).
 */
export const REGIONS_WITHOUT_HTTP_APIS = ['ap-east-2', 'ap-southeast-6'] as const;

function unsupportedMessage(region: string): string {
  return (
    `Newswire cannot be deployed to ${region}: that region has no API Gateway HTTP APIs (nor Lambda function ` +
    'URLs), which the functions are served through behind CloudFront. Deploy to a nearby region instead ' +
    '(-c region=ap-east-1 or ap-southeast-2, for example); CloudFront serves readers everywhere whatever the region.'
  );
}

/** Fails synthesis, naming the region and what to do, where the stack cannot be deployed. */
export function checkRegionSupported(region: string): void {
  if ((REGIONS_WITHOUT_HTTP_APIS as readonly string[]).includes(region)) {
    throw new SettingsError(unsupportedMessage(region));
  }
}

/** For a template whose region is decided at deploy time: CloudFormation refuses it there, with the same words. */
export function refuseUnsupportedRegions(stack: Stack): void {
  new CfnRule(stack, 'SupportedRegion', {
    assertions: [
      {
        assert: Fn.conditionNot(Fn.conditionContains([...REGIONS_WITHOUT_HTTP_APIS], stack.region)),
        assertDescription: unsupportedMessage('this region'),
      },
    ],
  });
}

/** The opt-in regions aws-cdk-lib knows: CloudFront delivers standard logs to no bucket in them. */
export const OPT_IN_REGIONS = RegionInfo.regions.filter((r) => r.isOptInRegion).map((r) => r.name);

/**
 * For a template with access logs whose region is decided at deploy time: the log bucket is the stack's own,
 * which CloudFront cannot write in an opt-in region, so CloudFormation refuses it there and says what to do.
 */
export function refuseAccessLogsInOptInRegions(stack: Stack): void {
  new CfnRule(stack, 'AccessLogRegion', {
    assertions: [
      {
        assert: Fn.conditionNot(Fn.conditionContains(OPT_IN_REGIONS, stack.region)),
        assertDescription:
          'CloudFront delivers access logs to no bucket in an opt-in region. Deploy with cdk deploy (or -c region), ' +
          'which puts the log bucket in us-east-1 for these regions, or without -c accessLogs=true.',
      },
    ],
  });
}
