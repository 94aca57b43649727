import { Annotations, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SiteConfig } from '../functions/core/config.ts';
import { NewswireAlarms } from './constructs/alarms.ts';
import { NewswireApi } from './constructs/api.ts';
import { NewswireCdn } from './constructs/cdn.ts';
import { NewswireDashboard } from './constructs/dashboard.ts';
import { NewswireFunctions } from './constructs/functions.ts';
import { NewswireTable } from './constructs/table.ts';
import { originShieldRegionFor } from './origin-shield.ts';
import type { DeploySettings } from './settings.ts';

/** Inputs of the stack: the site (newswire.config.ts) and the per-deployment settings. */
export interface NewswireStackProps extends StackProps {
  readonly site: SiteConfig;
  readonly settings: DeploySettings;
}

/** Everything Newswire runs on in one AWS account: table, functions, HTTP API, CDN, alarms. */
export class NewswireStack extends Stack {
  constructor(scope: Construct, id: string, { site, settings, ...stackProps }: NewswireStackProps) {
    super(scope, id, {
      description: `${site.title}: Newswire feeds, pages and write API (DynamoDB, Lambda, CloudFront)`,
      ...stackProps,
    });
    Tags.of(this).add('Application', 'Newswire');

    // The functions learn the public URL from NEWSWIRE_BASE_URL only for a custom domain.
    // The CloudFront domain cannot be passed: the distribution's origin is the API, whose
    // integrations are the functions, so a function env var naming the distribution is a cycle.
    const baseUrl = settings.domainName === undefined ? undefined : `https://${settings.domainName}`;
    if (baseUrl === undefined) {
      Annotations.of(this).addInfo(
        `Feeds and pages will link to ${site.baseUrl} (baseUrl in newswire.config.ts). Without -c domainName, ` +
          'set baseUrl to the SiteUrl output after the first deploy and deploy again.',
      );
    }

    const { table } = new NewswireTable(this, 'Data');
    const functions = new NewswireFunctions(this, 'Functions', {
      table,
      logLevel: settings.logLevel,
      ...(baseUrl !== undefined && { baseUrl }),
    });
    const api = new NewswireApi(this, 'Api', { functions: functions.byName });
    const cdn = new NewswireCdn(this, 'Cdn', {
      httpApi: api.httpApi,
      originShieldRegion: originShieldRegionFor(this, settings.originShieldRegion),
      accessLogs: settings.accessLogs,
      ...(settings.domainName !== undefined && { domainName: settings.domainName }),
      ...(settings.certificateArn !== undefined && { certificateArn: settings.certificateArn }),
      ...(settings.webAclArn !== undefined && { webAclArn: settings.webAclArn }),
    });
    const alarms = new NewswireAlarms(this, 'Alarms', {
      httpApi: api.httpApi,
      functions: functions.byName,
      table,
      ...(settings.alarmEmail !== undefined && { alarmEmail: settings.alarmEmail }),
    });
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
    new CfnOutput(this, 'ApiUrl', {
      value: api.httpApi.apiEndpoint,
      description: 'HTTP API endpoint behind CloudFront (uncached; for diagnostics)',
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
}
