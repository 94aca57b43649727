import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  type CfnResource,
  CfnRule,
  Duration,
  Fn,
  Stack,
  type StackProps,
  Tags,
  Token,
} from 'aws-cdk-lib';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { SiteConfig } from '../functions/core/config.ts';
import { CLOUDFRONT_METRICS_REGION, cloudFront5xxAlarm, NewswireAlarms } from './constructs/alarms.ts';
import { NewswireApi } from './constructs/api.ts';
import { ACCESS_LOG_PREFIX, NewswireCdn } from './constructs/cdn.ts';
import { NewswireDashboard } from './constructs/dashboard.ts';
import { NewswireFunctions } from './constructs/functions.ts';
import { OriginKey } from './constructs/origin-key.ts';
import { NewswireSubscribers } from './constructs/subscribers.ts';
import { NewswireTable } from './constructs/table.ts';
import { NewswireWebSub } from './constructs/websub.ts';
import { exampleValuesIn } from './example-values.ts';
import { originShieldRegionFor } from './origin-shield.ts';
import { refuseAccessLogsInOptInRegions, refuseUnsupportedRegions } from './regions.ts';
import type { DeploySettings } from './settings.ts';

/** Inputs of the stack: the site (newswire.config.ts) and the per-deployment settings. */
export interface NewswireStackProps extends StackProps {
  readonly site: SiteConfig;
  readonly settings: DeploySettings;
  /** The access-log bucket in us-east-1, when the stack's region is an opt-in one (NewswireAccessLogStack). */
  readonly accessLogBucket?: IBucket;
  /** The web ACL made for this stack in us-east-1 (NewswireWafStack, `-c waf=true`). */
  readonly webAclArn?: string;
}

/** Where the CloudFront 5xx alarm lives, which depends on the stack's region. */
export type EdgeAlarmPlacement = 'this-stack' | 'this-stack-if-us-east-1' | 'edge-stack';

/** Everything Newswire runs on in one AWS account: table, functions, HTTP API, CDN, alarms. */
export class NewswireStack extends Stack {
  /** The CloudFront distribution. */
  readonly distribution: Distribution;
  /** Where the CloudFront 5xx alarm is: here, here only when deployed to us-east-1, or in a companion stack. */
  readonly edgeAlarm: EdgeAlarmPlacement;

  constructor(
    scope: Construct,
    id: string,
    { site, settings, accessLogBucket, webAclArn = settings.webAclArn, ...stackProps }: NewswireStackProps,
  ) {
    super(scope, id, {
      description: `${site.title}: Newswire feeds, pages and write API (DynamoDB, Lambda, CloudFront)`,
      ...stackProps,
    });
    Tags.of(this).add('Application', 'Newswire');

    // With a custom domain the functions get its URL as NEWSWIRE_BASE_URL. Without one they
    // take the viewer's *.cloudfront.net host from the header CloudFront sets (see the CDN):
    // the distribution's own domain cannot be passed, because its origin is the API, whose
    // integrations are the functions, so a function setting naming the distribution is a cycle.
    const baseUrl = settings.domainName === undefined ? undefined : `https://${settings.domainName}`;
    if (!settings.allowExampleValues) this.refuseExampleValues(site);
    // Where the region is known, app.ts has already refused an unsupported one at synth.
    if (Token.isUnresolved(this.region)) {
      refuseUnsupportedRegions(this);
      if (settings.accessLogs) refuseAccessLogsInOptInRegions(this);
    }

    const { table } = new NewswireTable(this, 'Data', {
      ...(settings.tableName !== undefined && { existingTableName: settings.tableName }),
      ...(settings.tableStreamArn !== undefined && { existingTableStreamArn: settings.tableStreamArn }),
    });
    const originKey = new OriginKey(this, 'OriginKey', { generation: settings.originKeyGeneration });
    const functions = new NewswireFunctions(this, 'Functions', {
      originKeys: originKey.accepted,
      table,
      logLevel: settings.logLevel,
      ...(baseUrl !== undefined && { baseUrl }),
      ...(site.hubUrl !== undefined && { hubUrl: site.hubUrl }),
      ...(settings.writeConcurrency !== undefined && { writeConcurrency: settings.writeConcurrency }),
    });
    const api = new NewswireApi(this, 'Api', { functions: functions.aliases });
    const cdn = new NewswireCdn(this, 'Cdn', {
      httpApi: api.httpApi,
      config: site,
      originKey: originKey.current,
      originShieldRegion: originShieldRegionFor(this, settings.originShieldRegion),
      accessLogs: settings.accessLogs,
      ...(accessLogBucket !== undefined && { accessLogBucket }),
      ...(settings.domainName !== undefined && { domainName: settings.domainName }),
      ...(settings.certificateArn !== undefined && { certificateArn: settings.certificateArn }),
      ...(webAclArn !== undefined && { webAclArn }),
    });
    // The functions accept a new origin key before any edge sends it: the distribution waits for their aliases.
    for (const name of ['articles', 'feeds', 'private', 'pages'] as const) {
      cdn.distribution.node.addDependency(functions.aliases[name]);
    }
    // Subscriber counts come from CloudFront's own logs, so they run where access logs are on (and in
    // this stack's region: an opt-in region's logs are in us-east-1, where no queue of this stack is).
    if (cdn.logBucket !== undefined) {
      const subscribers = new NewswireSubscribers(this, 'Subscribers', {
        table,
        logBucket: cdn.logBucket,
        logPrefix: ACCESS_LOG_PREFIX,
        logLevel: settings.logLevel,
      });
      // Private feeds hash their clients with the same daily salt, from the same unrecoverable table.
      const privateFeeds = functions.byName.private;
      privateFeeds.addEnvironment('SALT_TABLE_NAME', subscribers.salts.tableName);
      subscribers.salts.grant(privateFeeds, 'dynamodb:GetItem', 'dynamodb:PutItem');
    }
    const websub = new NewswireWebSub(this, 'WebSub', {
      table,
      function: functions.byName.notify,
      alias: functions.aliases.notify,
      siteUrl: cdn.siteUrl,
    });
    const alarms = new NewswireAlarms(this, 'Alarms', {
      httpApi: api.httpApi,
      functions: functions.byName,
      timeouts: Object.fromEntries(
        Object.entries(functions.byName).map(([name, fn]) => [name, fn.timeout]),
      ) as Record<keyof typeof functions.byName, Duration | undefined>,
      table,
      ...(settings.alarmEmail !== undefined && { alarmEmail: settings.alarmEmail }),
    });
    const waiting = (queue: typeof websub.deadLetters) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    alarms.add('NotifyDeadLetters', waiting(websub.deadLetters), {
      threshold: 1,
      description:
        'WebSub changes were not announced: a stream batch or a sweep kept failing (DynamoDB or SQS unavailable ' +
        'through every retry) and is in the dead-letter queue. Subscribers learn of those changes at their next ' +
        "poll. See the notify function's log group; the messages name the stream records or the sweep.",
    });
    alarms.add('PingDeadLetters', waiting(websub.pingDeadLetters), {
      threshold: 1,
      description:
        'WebSub pings were given up: the hub refused them or did not answer within 5 s, five times each, and they ' +
        'are in the ping dead-letter queue. Subscribers learn of those changes at their next poll. See the notify ' +
        'function\'s log group ("The hub failed …" lines name the hub\'s status); each message names its feed.',
    });
    this.distribution = cdn.distribution;
    this.edgeAlarm = Token.isUnresolved(this.region)
      ? 'this-stack-if-us-east-1'
      : this.region === CLOUDFRONT_METRICS_REGION
        ? 'this-stack'
        : 'edge-stack';
    if (this.edgeAlarm !== 'edge-stack') {
      const alarm = cloudFront5xxAlarm(alarms, cdn.distribution.distributionId, alarms.topic, alarms.prefix);
      if (this.edgeAlarm === 'this-stack') alarms.alarms.push(alarm);
      else {
        // Region unknown at synth: CloudFormation creates the alarm only where CloudFront's
        // metrics are. Elsewhere app.ts adds the edge stack once the region is known (cdk deploy).
        const inMetricsRegion = new CfnCondition(this, 'InCloudFrontMetricsRegion', {
          expression: Fn.conditionEquals(this.region, CLOUDFRONT_METRICS_REGION),
        });
        (alarm.node.defaultChild as CfnResource).cfnOptions.condition = inMetricsRegion;
      }
    }
    const { dashboard } = new NewswireDashboard(this, 'Monitoring', {
      distribution: cdn.distribution,
      httpApi: api.httpApi,
      functions: functions.byName,
      table,
      alarms: alarms.alarms,
    });

    new CfnOutput(this, 'SiteUrl', { value: cdn.siteUrl, description: 'Public site: feeds, pages, OPML' });
    new CfnOutput(this, 'WriteApiUrl', {
      value: `${cdn.siteUrl}/api/articles/{id}`,
      description: 'Where the CMS sends PUT/GET/DELETE with Authorization: Bearer <key>',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: cdn.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or Route 53 alias) here',
    });
    new CfnOutput(this, 'DistributionId', { value: cdn.distribution.distributionId });
    new CfnOutput(this, 'TableName', {
      value: table.tableName,
      description: 'For `npx newswire keys create --table <TableName>`',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe an email, chat or pager endpoint to receive alarms',
    });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName });
  }

  /**
   * Makes CloudFormation refuse the deploy (synth still works) while newswire.config.ts
   * names an example domain: the site would link to, and mint guids under, someone
   * else's name. A rule is checked before any resource is created or changed; its
   * parameter holds the offending values, so the failure names them.
   */
  private refuseExampleValues(site: SiteConfig): void {
    const found = exampleValuesIn(site);
    if (found.length === 0) return;
    const listed = found.map((f) => `${f.field} = ${f.value}`).join('; ');
    const parameter = new CfnParameter(this, 'ExampleValuesInConfig', {
      type: 'String',
      default: listed,
      description:
        'Example values still in newswire.config.ts; the deploy is refused unless this is empty. Set your own ' +
        'values, or deploy with -c allowExampleValues=true for a throwaway test stack.',
    });
    new CfnRule(this, 'NoExampleValues', {
      assertions: [
        {
          assert: Fn.conditionEquals(parameter.valueAsString, ''),
          assertDescription:
            `newswire.config.ts still holds example values (${listed}). Set baseUrl to your site's address and ` +
            'tagAuthority to a domain you own (e.g. news.example.org,2026 with your domain), or deploy with ' +
            '-c allowExampleValues=true for a throwaway test stack.',
        },
      ],
    });
  }
}
