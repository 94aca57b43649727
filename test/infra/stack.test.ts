import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES, THROTTLE } from '../../infra/constructs/api.ts';
import { FUNCTION_SPECS, type FunctionName } from '../../infra/constructs/functions.ts';
import { type Json, synthesize } from './synth.ts';

const { template } = synthesize();

type Resource = { Type: string; Properties: Json };
const resources = (type: string): [string, Resource][] =>
  Object.entries(template.findResources(type)) as [string, Resource][];

/** Logical id of the Lambda function built from the given spec, found by its description. */
function functionId(name: FunctionName): string {
  const spec = FUNCTION_SPECS.find((s) => s.name === name);
  const match = resources('AWS::Lambda::Function').filter(
    ([, r]) => r.Properties.Description === spec?.description,
  );
  assert.equal(match.length, 1, `exactly one function for ${name}`);
  return match[0]![0];
}

/** Every IAM action granted to the role of the given function. */
function actionsOf(name: FunctionName): string[] {
  const fn = template.toJSON().Resources[functionId(name)];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

const TABLE_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
];

describe('table', () => {
  it('has the pk/sk keys of DESIGN.md, on-demand, encrypted, recoverable', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: Match.absent(),
    });
  });

  it('is kept when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('functions', () => {
  it('exist once per entry, on the latest Node.js LTS, arm64, with memory, timeout and env set', () => {
    template.resourceCountIs('AWS::Lambda::Function', FUNCTION_SPECS.length);
    for (const spec of FUNCTION_SPECS) {
      const fn = template.toJSON().Resources[functionId(spec.name)];
      assert.equal(fn.Properties.Runtime, 'nodejs24.x', spec.name);
      assert.deepEqual(fn.Properties.Architectures, ['arm64'], spec.name);
      assert.equal(fn.Properties.MemorySize, spec.memorySize, spec.name);
      assert.equal(fn.Properties.Timeout, 10, spec.name);
      assert.equal(fn.Properties.Handler, 'index.handler', spec.name);
      const env = fn.Properties.Environment.Variables;
      assert.deepEqual(env.TABLE_NAME, { Ref: resources('AWS::DynamoDB::Table')[0]![0] }, spec.name);
      assert.equal(env.LOG_LEVEL, 'info');
      assert.equal(env.NODE_OPTIONS, '--enable-source-maps');
      assert.equal(env.NEWSWIRE_BASE_URL, undefined, 'no base URL override without a custom domain');
    }
  });

  it('log to their own log group, kept for one month', () => {
    for (const spec of FUNCTION_SPECS) {
      const fn = template.toJSON().Resources[functionId(spec.name)];
      const logGroupId: string = fn.Properties.LoggingConfig.LogGroup.Ref;
      assert.equal(template.toJSON().Resources[logGroupId].Properties.RetentionInDays, 30, spec.name);
    }
  });

  it('lets feeds and pages only read the table', () => {
    for (const name of ['feeds', 'pages'] as const) {
      const actions = actionsOf(name);
      assert.ok(actions.includes('dynamodb:Query'), `${name} can query`);
      const writes = actions.filter((a) => TABLE_WRITES.includes(a) || a === 'dynamodb:*' || a === '*');
      assert.deepEqual(writes, [], `${name} has no write action`);
    }
  });

  it('lets articles read and write the table', () => {
    const actions = actionsOf('articles');
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      assert.ok(actions.includes(action), action);
    }
  });

  it('use no AWS managed policies (each role may write only its own log group)', () => {
    for (const [id, role] of resources('AWS::IAM::Role')) {
      assert.equal(role.Properties.ManagedPolicyArns, undefined, id);
    }
  });
});

describe('HTTP API', () => {
  it('routes every path of the routing table to its function', () => {
    const routeKeys = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    const expected = ROUTES.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));
    assert.deepEqual([...routeKeys].sort(), [...expected].sort());

    const integrations = Object.fromEntries(
      resources('AWS::ApiGatewayV2::Integration').map(([id, i]) => [id, i.Properties.IntegrationUri]),
    );
    for (const [, route] of resources('AWS::ApiGatewayV2::Route')) {
      const key = route.Properties.RouteKey as string;
      const target = ROUTES.find((r) => key.endsWith(` ${r.path}`))?.target;
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      const uri = integrations[integrationId.Ref];
      assert.deepEqual(uri, { 'Fn::GetAtt': [functionId(target!), 'Arn'] }, key);
    }
  });

  it('sends feed files to feeds, /api/ to articles and the rest to pages', () => {
    const targetOf = (path: string) => ROUTES.find((r) => r.path === path)?.target;
    assert.equal(targetOf('/{edition}/rss.xml'), 'feeds');
    assert.equal(targetOf('/{edition}/{section}/feed.json'), 'feeds');
    assert.equal(targetOf('/api/articles/{id}'), 'articles');
    assert.equal(targetOf('/'), 'pages');
    assert.equal(targetOf('/{proxy+}'), 'pages');
  });

  it('throttles the default stage and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: THROTTLE.rateLimit,
        ThrottlingBurstLimit: THROTTLE.burstLimit,
      },
    });
    const [[, stage]] = resources('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    assert.equal(format.requestId, '$context.requestId');
    assert.equal(format.status, '$context.status');
    const logGroupId: string = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    assert.equal(template.toJSON().Resources[logGroupId].Properties.RetentionInDays, 30);
  });
});

describe('alarms', () => {
  const alarms = resources('AWS::CloudWatch::Alarm');
  const topicId = resources('AWS::SNS::Topic')[0]![0];

  it('cover API 5xx rate, function errors and throttles, and DynamoDB throttles and errors', () => {
    const metricNames = alarms.flatMap(([, a]) =>
      a.Properties.MetricName !== undefined
        ? [a.Properties.MetricName as string]
        : (a.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]).flatMap((m) =>
            m.MetricStat ? [m.MetricStat.Metric.MetricName] : [],
          ),
    );
    const count = (name: string) => alarms.filter(([, a]) => JSON.stringify(a).includes(`"${name}"`)).length;
    assert.equal(count('5xx'), 1, 'API 5xx rate');
    assert.equal(count('Errors'), FUNCTION_SPECS.length, 'one Errors alarm per function');
    assert.equal(count('Throttles'), FUNCTION_SPECS.length, 'one Throttles alarm per function');
    for (const name of ['ThrottledRequests', 'SystemErrors', 'UserErrors']) {
      assert.ok(metricNames.includes(name), name);
    }
  });

  it('notify the alarm topic on alarm and on recovery', () => {
    assert.ok(alarms.length >= 10);
    for (const [id, alarm] of alarms) {
      assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topicId }], id);
      assert.deepEqual(alarm.Properties.OKActions, [{ Ref: topicId }], id);
      assert.ok((alarm.Properties.AlarmDescription as string).length > 40, `${id} says what it means`);
    }
  });

  it('subscribe no email unless one is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('are shown on a dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('outputs', () => {
  it('give the site URL, API URL, table name and alarm topic', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of [
      'SiteUrl',
      'WriteApiUrl',
      'ApiUrl',
      'TableName',
      'AlarmTopicArn',
      'DistributionDomainName',
    ]) {
      assert.ok(outputs[name], name);
    }
    assert.deepEqual(outputs.SiteUrl!.Value, {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [resources('AWS::CloudFront::Distribution')[0]![0], 'DomainName'] }],
      ],
    });
  });
});
