import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { AwsSolutionsChecks } from 'cdk-nag';
import { validateConfig } from '../functions/core/config-schema.ts';
import site from '../newswire.config.ts';
import { NewswireAccessLogStack } from './access-log-stack.ts';
import { CLOUDFRONT_METRICS_REGION } from './constructs/alarms.ts';
import { NewswireEdgeAlarmStack } from './edge-alarm-stack.ts';
import { NewswireStack } from './newswire-stack.ts';
import { checkRegionSupported } from './regions.ts';
import { readSettings, SettingsError } from './settings.ts';
import { NewswireWafStack } from './waf-stack.ts';

/** Where `cdk deploy` will deploy when no region or account is pinned (CDK_DEFAULT_REGION/ACCOUNT). */
export interface DefaultEnvironment {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

/** The Newswire app: its main stack and, outside us-east-1, the stack holding the CloudFront alarm. */
export interface NewswireApp {
  readonly app: App;
  readonly stack: NewswireStack;
  readonly edgeAlarms?: NewswireEdgeAlarmStack;
  /** The us-east-1 stack holding the access-log bucket, for a stack in an opt-in region with accessLogs. */
  readonly accessLogs?: NewswireAccessLogStack;
  /** The us-east-1 stack holding the web ACL, with `-c waf=true`. */
  readonly waf?: NewswireWafStack;
}

/**
 * Builds the CDK app: one Newswire stack from newswire.config.ts and CDK context, checked by
 * cdk-nag. `-c region`/`-c account` pin the stack; otherwise `defaults` (what the CLI resolved
 * from your credentials) does, and without either the stack is environment-agnostic, so
 * `cdk synth` needs no credentials. The site config is validated here, before anything is
 * bundled: the functions carry it as data and do not check it again.
 */
export function createNewswireApp(props: AppProps = {}, defaults: DefaultEnvironment = {}): NewswireApp {
  const app = new App(props);
  const settings = readSettings(app.node);
  validateConfig(site);
  const account = settings.account ?? defaults.account;
  const region = settings.region ?? defaults.region;
  if (region !== undefined) checkRegionSupported(region);
  const edge = region !== undefined && region !== CLOUDFRONT_METRICS_REGION;
  // CloudFront cannot deliver logs to a bucket in an opt-in region: the bucket goes to us-east-1.
  const accessLogs =
    settings.accessLogs && region !== undefined && RegionInfo.get(region).isOptInRegion
      ? new NewswireAccessLogStack(app, `${settings.stackName}-AccessLogs-${region}`, {
          ...(account !== undefined && { env: { account } }),
        })
      : undefined;
  if (settings.waf && region === undefined) {
    throw new SettingsError(
      'context "waf=true" needs the stack\'s region (-c region, or a default region from your AWS profile): ' +
        'the web ACL is made in us-east-1, as CloudFront requires, and named from that region',
    );
  }
  // A web ACL for CloudFront lives in us-east-1: a stack of its own there, named after the main stack's region.
  const waf = settings.waf
    ? new NewswireWafStack(app, `${settings.stackName}-Waf-${region}`, {
        rateLimit: settings.wafRateLimit,
        ...(account !== undefined && { env: { account } }),
      })
    : undefined;
  const stack = new NewswireStack(app, settings.stackName, {
    site,
    settings,
    ...(accessLogs !== undefined && { accessLogBucket: accessLogs.bucket }),
    ...(waf !== undefined && { webAclArn: waf.webAclArn }),
    ...((account !== undefined || region !== undefined) && {
      env: { ...(account !== undefined && { account }), ...(region !== undefined && { region }) },
    }),
    // The edge stack reads the distribution id through CDK's cross-region references.
    ...(edge && { crossRegionReferences: true }),
  });
  // One edge stack per main stack: named, and its alarm named, after the main stack's region too, so a
  // second region's deploy makes its own instead of taking over the first one's.
  const edgeAlarms =
    stack.edgeAlarm === 'edge-stack' && region !== undefined
      ? new NewswireEdgeAlarmStack(app, `${settings.stackName}-EdgeAlarms-${region}`, {
          distributionId: stack.distribution.distributionId,
          alarmNamePrefix: `${settings.stackName}-${region}`,
          ...(settings.alarmEmail !== undefined && { alarmEmail: settings.alarmEmail }),
          ...(account !== undefined && { env: { account } }),
        })
      : undefined;
  // Every AwsSolutions finding (error or warning) that is not acknowledged with a reason stops synthesis.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  if (accessLogs !== undefined) stack.addDependency(accessLogs);
  if (waf !== undefined) stack.addStackDependency(waf);
  return {
    app,
    stack,
    ...(edgeAlarms !== undefined && { edgeAlarms }),
    ...(accessLogs !== undefined && { accessLogs }),
    ...(waf !== undefined && { waf }),
  };
}
