import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ORIGIN_KEY_HEADER, ORIGIN_KEYS_VARIABLE } from '../../functions/http/origin.ts';
import { keys, publicCountKeys, statsKeys, subscriberKeys } from '../../functions/store/keys.ts';
import { ROUTES, THROTTLE, WRITE_ROUTE_KEYS, WRITE_THROTTLE } from '../../infra/constructs/api.ts';
import {
  FUNCTION_SPECS,
  type FunctionName,
  LIVE_ALIAS,
  PUBLIC_COUNTS_PARTITION,
  READ_PARTITIONS,
} from '../../infra/constructs/functions.ts';
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

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Json };

/** Every IAM statement granted to the role of the given function (in the given template). */
function statementsOf(name: FunctionName, of: Template = template): Statement[] {
  const all = of.toJSON().Resources as Record<string, Resource>;
  const spec = FUNCTION_SPECS.find((s) => s.name === name);
  const [fn] = Object.values(all).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === spec?.description,
  );
  const roleId: string = fn!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(all)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actions = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const tableStatements = (name: FunctionName, of: Template = template): Statement[] =>
  statementsOf(name, of).filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
const tableArn = { 'Fn::GetAtt': [resources('AWS::DynamoDB::Table')[0]![0], 'Arn'] };

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
      assert.equal(fn.Properties.Timeout, spec.timeoutSeconds ?? 10, spec.name);
      assert.equal(fn.Properties.Handler, 'index.handler', spec.name);
      const env = fn.Properties.Environment.Variables;
      assert.deepEqual(env.TABLE_NAME, { Ref: resources('AWS::DynamoDB::Table')[0]![0] }, spec.name);
      assert.equal(env.LOG_LEVEL, 'info');
      assert.equal(env.NODE_OPTIONS, '--enable-source-maps');
      if (spec.name === 'notify') continue;
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

  it('let feeds and pages Query, GetItem and BatchGetItem feed, article and Top Stories items only', () => {
    for (const name of ['feeds', 'pages'] as const) {
      const [statement, ...others] = tableStatements(name);
      // Pages may also Query the one partition of published subscriber counts (nothing else there).
      assert.deepEqual(
        others.map((s) => [actions(s), s.Condition]),
        name === 'pages'
          ? [[['dynamodb:Query'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['READERS'] } }]]
          : [],
        name,
      );
      assert.equal(statement!.Effect, 'Allow');
      assert.deepEqual(
        [...actions(statement!)].sort(),
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        name,
      );
      assert.deepEqual(statement!.Resource, tableArn, name);
      assert.deepEqual(
        statement!.Condition,
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FEED#*', 'ARTICLE#*', 'TOP#*'] } },
        `${name} never reaches KEY# items (API-key hashes)`,
      );
    }
  });

  it('let private feeds read what feeds read, a token’s record, its listing entry and the day’s salt, nothing more', () => {
    const statements = tableStatements('private').filter(
      (s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn),
    );
    const granted = statements.map((s) => {
      assert.equal(s.Effect, 'Allow');
      return [[...actions(s)].sort(), s.Condition?.['ForAllValues:StringLike']['dynamodb:LeadingKeys']];
    });
    assert.deepEqual(granted, [
      [
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        ['FEED#*', 'ARTICLE#*', 'TOP#*'],
      ],
      [['dynamodb:GetItem'], ['SUB#*']],
      [['dynamodb:UpdateItem'], ['SUBS']],
      [['dynamodb:GetItem', 'dynamodb:PutItem'], ['SALT#*']],
    ]);
    // The patterns are the partitions the store builds: a token's record, the listing, a day's salt.
    const id = '0123456789abcdef';
    assert.ok(subscriberKeys.record(id).pk.startsWith('SUB#'));
    assert.equal(subscriberKeys.entry(id).pk, 'SUBS');
    assert.ok(statsKeys.salt('2026-11-27').pk.startsWith('SALT#'));
    // API keys (KEY#…) and the estimate's tallies stay out of reach.
    assert.ok(!keys.apiKey(id).pk.startsWith('SUB'));
  });

  it('let articles do exactly what the write API calls: no Scan, no PartiQL, no batch writes', () => {
    const [statement, ...others] = tableStatements('articles');
    assert.equal(others.length, 0);
    assert.deepEqual([...actions(statement!)].sort(), [
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    assert.deepEqual(statement!.Resource, tableArn);
  });

  it('grant stream reads to notify alone, on the table stream (ListStreams, which names no stream, on *)', () => {
    for (const name of ['articles', 'feeds', 'private', 'pages'] as const) {
      const granted = statementsOf(name).flatMap(actions);
      for (const action of ['GetRecords', 'GetShardIterator', 'DescribeStream', 'ListStreams']) {
        assert.ok(!granted.includes(`dynamodb:${action}`), `${name}: dynamodb:${action}`);
      }
    }
    const streamArn = { 'Fn::GetAtt': [resources('AWS::DynamoDB::Table')[0]![0], 'StreamArn'] };
    const stream = statementsOf('notify').filter((s) => actions(s).some((a) => a === 'dynamodb:GetRecords'));
    assert.equal(stream.length, 1);
    assert.deepEqual([...actions(stream[0]!)].sort(), [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
    ]);
    assert.deepEqual(stream[0]!.Resource, streamArn);
    const list = statementsOf('notify').filter((s) => actions(s).includes('dynamodb:ListStreams'));
    assert.deepEqual(list.map(actions), [['dynamodb:ListStreams']]);
    for (const [id, policy] of resources('AWS::IAM::Policy')) {
      const granted = (policy.Properties.PolicyDocument.Statement as Statement[]).flatMap(actions);
      assert.ok(!granted.includes('dynamodb:*') && !granted.includes('*'), id);
    }
  });

  it('let notify GetItem Top Stories and revisions, Query feed entries and BatchGetItem articles, each only there', () => {
    const reads = tableStatements('notify').filter(
      (s) => s.Resource !== undefined && s.Condition !== undefined,
    );
    assert.deepEqual(
      reads.map((s) => [actions(s), s.Condition?.['ForAllValues:StringLike']['dynamodb:LeadingKeys']]),
      [
        [['dynamodb:GetItem'], ['TOP#*', 'ARTICLE#*']],
        [['dynamodb:Query'], ['FEED#*']],
        [['dynamodb:BatchGetItem'], ['ARTICLE#*']],
      ],
    );
    for (const statement of reads) assert.deepEqual(statement.Resource, tableArn);
    const writes = statementsOf('notify')
      .flatMap(actions)
      .filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite|Scan|PartiQL)/.test(a));
    assert.deepEqual(writes, [], 'notify writes nothing and scans nothing');
  });

  it('limit reads to the partitions the store builds (functions/store/keys.ts), never API keys', () => {
    const matches = (pk: string) =>
      READ_PARTITIONS.some((pattern) => pk.startsWith(pattern.slice(0, -1)) && pattern.endsWith('*'));
    // A variable, not a literal, so this compiles against both FeedScope shapes.
    const scope = { kind: 'edition', edition: 'europe' } as const;
    assert.ok(matches(keys.article('a-story').pk));
    assert.ok(matches(keys.feedPartition(scope)));
    assert.ok(!matches(keys.apiKey('0123456789abcdef').pk));
    assert.equal(publicCountKeys.day('2026-12-06').pk, PUBLIC_COUNTS_PARTITION);
  });

  it('publish a version on every deploy behind a live alias, and keep earlier versions for rollback', () => {
    for (const spec of FUNCTION_SPECS) {
      const [alias, ...others] = resources('AWS::Lambda::Alias').filter(
        ([, a]) => a.Properties.FunctionName.Ref === functionId(spec.name),
      );
      assert.equal(others.length, 0, spec.name);
      assert.equal(alias![1].Properties.Name, LIVE_ALIAS);
      const versionId: string = alias![1].Properties.FunctionVersion['Fn::GetAtt'][0];
      const version = template.toJSON().Resources[versionId];
      assert.equal(version.Type, 'AWS::Lambda::Version');
      assert.equal(version.DeletionPolicy, 'Retain', spec.name);
      assert.equal(version.UpdateReplacePolicy, 'Retain', spec.name);
    }
  });

  it('reserve no concurrency unless asked (new accounts cannot spare any)', () => {
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      assert.equal(fn.Properties.ReservedConcurrentExecutions, undefined);
    }
    const reserved = synthesize({ writeConcurrency: '20' }).template;
    const concurrency = Object.values(reserved.findResources('AWS::Lambda::Function')).map(
      (fn) => [fn.Properties.Description, fn.Properties.ReservedConcurrentExecutions] as const,
    );
    assert.deepEqual(
      concurrency.filter(([, n]) => n !== undefined),
      [[FUNCTION_SPECS[0]!.description, 20]],
    );
  });

  it('use no AWS managed policies (each role may write only its own log group)', () => {
    for (const [id, role] of resources('AWS::IAM::Role')) {
      assert.equal(role.Properties.ManagedPolicyArns, undefined, id);
    }
  });
});

describe('only CloudFront reaches the functions', () => {
  const resourcesJson = template.toJSON().Resources as Record<string, Resource & { DependsOn?: string[] }>;
  const secrets = resources('AWS::SecretsManager::Secret');
  const [distributionId, distribution] = resources('AWS::CloudFront::Distribution')[0]!;
  const [origin] = distribution.Properties.DistributionConfig.Origins as Json[];

  it('CloudFront sends the origin key, generated by Secrets Manager, to the origin in a custom header', () => {
    assert.equal(secrets.length, 1, 'generation 1: one key');
    const [secretId, secret] = secrets[0]!;
    assert.deepEqual(secret.Properties.GenerateSecretString, {
      ExcludePunctuation: true,
      IncludeSpace: false,
      PasswordLength: 48,
    });
    assert.deepEqual(origin!.OriginCustomHeaders, [
      {
        HeaderName: ORIGIN_KEY_HEADER,
        HeaderValue: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
        },
      },
    ]);
  });

  it('every function behind CloudFront checks it; the template holds no key, only references', () => {
    for (const name of ['articles', 'feeds', 'private', 'pages'] as const) {
      const env = resourcesJson[functionId(name)]!.Properties.Environment.Variables;
      assert.match(JSON.stringify(env[ORIGIN_KEYS_VARIABLE]), /\{\{resolve:secretsmanager:/, name);
    }
    assert.equal(
      resourcesJson[functionId('notify')]!.Properties.Environment.Variables[ORIGIN_KEYS_VARIABLE],
      undefined,
    );
  });

  it('the distribution is updated only after every function: a new key is accepted before any edge sends it', () => {
    const dependsOn = resourcesJson[distributionId]!.DependsOn ?? [];
    const behindCloudFront = resources('AWS::Lambda::Alias').filter(
      ([, a]) => a.Properties.FunctionName.Ref !== functionId('notify'),
    );
    // articles, feeds, private and pages.
    assert.equal(behindCloudFront.length, 4);
    for (const [aliasId] of behindCloudFront) assert.ok(dependsOn.includes(aliasId), aliasId);
  });

  it('rotates in one deploy: the next generation is sent, the previous one still accepted, the one before gone', () => {
    const rotated = synthesize({ originKeyGeneration: '3' }).template;
    const ids = Object.keys(rotated.findResources('AWS::SecretsManager::Secret'));
    assert.equal(ids.length, 2);
    const [current] = ids.filter((id) => id.includes('Generation3'));
    const [previous] = ids.filter((id) => id.includes('Generation2'));
    assert.ok(current !== undefined && previous !== undefined, ids.join());
    const sent = JSON.stringify(
      Object.values(rotated.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig
        .Origins,
    );
    assert.ok(sent.includes(`"${current}"`) && !sent.includes(`"${previous}"`));
    for (const fn of Object.values(rotated.findResources('AWS::Lambda::Function'))) {
      const keys = JSON.stringify(fn.Properties.Environment.Variables[ORIGIN_KEYS_VARIABLE] ?? '');
      if (keys === '""') continue;
      assert.ok(keys.includes(`"${current}"`) && keys.includes(`"${previous}"`), keys);
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
      const uri = integrations[integrationId.Ref] as { Ref: string };
      // The live alias, so a rollback is one update-alias call.
      const alias = template.toJSON().Resources[uri.Ref];
      assert.equal(alias.Type, 'AWS::Lambda::Alias', key);
      assert.deepEqual(alias.Properties.FunctionName, { Ref: functionId(target!) }, key);
    }
  });

  it('sends feed files to feeds, private feeds to private, /api/ to articles and the rest to pages', () => {
    const targetOf = (path: string) => ROUTES.find((r) => r.path === path)?.target;
    assert.equal(targetOf('/{edition}/rss.xml'), 'feeds');
    assert.equal(targetOf('/{edition}/{section}/feed.json'), 'feeds');
    assert.equal(targetOf('/authors/{author}/atom.xml'), 'feeds');
    assert.equal(targetOf('/topics/{topic}/rss.xml'), 'feeds');
    assert.equal(targetOf('/private/{token}/{feed+}'), 'private');
    assert.equal(targetOf('/api/articles/{id}'), 'articles');
    assert.equal(targetOf('/'), 'pages');
    assert.equal(targetOf('/{proxy+}'), 'pages');
  });

  it('throttles each write route on its own, so a flood of uncached reads cannot make writes 429', () => {
    assert.deepEqual([...WRITE_ROUTE_KEYS].sort(), [
      'ANY /api/{proxy+}',
      'DELETE /api/articles/{id}',
      'DELETE /api/subscribers/{id}',
      'GET /api/articles/{id}',
      'GET /api/articles/{id}/revisions',
      'GET /api/articles/{id}/revisions/{version}',
      'GET /api/editions/{edition}/top-stories',
      'GET /api/openapi.json',
      'GET /api/stats',
      'GET /api/subscribers',
      'POST /api/subscribers',
      'PUT /api/articles/{id}',
      'PUT /api/editions/{edition}/top-stories',
    ]);
    const [[stageId, stage]] = resources('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    for (const key of WRITE_ROUTE_KEYS) {
      assert.deepEqual(settings[key], {
        ThrottlingRateLimit: WRITE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: WRITE_THROTTLE.burstLimit,
      });
    }
    // Route settings name routes, which must exist first.
    const dependsOn = template.toJSON().Resources[stageId].DependsOn as string[];
    for (const [routeId] of resources('AWS::ApiGatewayV2::Route'))
      assert.ok(dependsOn.includes(routeId), routeId);
  });

  it('gives every route key a bucket of its own: reads 200/s (400 burst), writes 50/s (100 burst)', () => {
    const [[, stage]] = resources('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    const routeKeys = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    assert.deepEqual(Object.keys(settings).sort(), [...routeKeys].sort());
    for (const key of routeKeys) {
      const write = WRITE_ROUTE_KEYS.includes(key);
      assert.deepEqual(
        settings[key],
        write
          ? { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }
          : { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
        key,
      );
    }
    // Writers' and topics' feeds are routes of their own, apart from the editions' and sections'.
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      for (const path of [
        `/{edition}/${file}`,
        `/{edition}/{section}/${file}`,
        `/authors/{author}/${file}`,
        `/topics/{topic}/${file}`,
      ]) {
        assert.ok(settings[`GET ${path}`], path);
        assert.ok(settings[`HEAD ${path}`], path);
      }
    }
    // Partner feeds, an edition's and a section's, likewise: a flood of made-up partners spends only theirs.
    for (const path of ['/{edition}/partners/{partner}', '/{edition}/{section}/partners/{partner}']) {
      for (const method of ['GET', 'HEAD']) {
        assert.deepEqual(
          settings[`${method} ${path}`],
          { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
          path,
        );
      }
    }
    // Subscriber tokens are the newsroom's, on write buckets; private feeds have a read bucket of their own,
    // so a flood of made-up tokens spends neither the public feeds' nor the CMS's.
    for (const key of ['POST /api/subscribers', 'GET /api/subscribers', 'DELETE /api/subscribers/{id}']) {
      assert.deepEqual(settings[key], { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }, key);
    }
    for (const method of ['GET', 'HEAD']) {
      assert.deepEqual(
        settings[`${method} /private/{token}/{feed+}`],
        { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
        method,
      );
    }
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
  it('give the site URL, table name and alarm topic, and never the origin’s own address', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of ['SiteUrl', 'WriteApiUrl', 'TableName', 'AlarmTopicArn', 'DistributionDomainName']) {
      assert.ok(outputs[name], name);
    }
    assert.equal(outputs.ApiUrl, undefined);
    assert.ok(!JSON.stringify(outputs).includes('ApiEndpoint'), 'no output names the HTTP API endpoint');
    assert.ok(!JSON.stringify(outputs).includes('secretsmanager'), 'no output holds the origin key');
    assert.deepEqual(outputs.SiteUrl!.Value, {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [resources('AWS::CloudFront::Distribution')[0]![0], 'DomainName'] }],
      ],
    });
  });
});

describe('alarm topic', () => {
  it('lets CloudWatch alarms of this account and stack publish, and refuses non-TLS access', () => {
    const [[, policy]] = resources('AWS::SNS::TopicPolicy') as [[string, Resource]];
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    const allow = statements.find((s) => s.Effect === 'Allow');
    assert.ok(allow, 'an Allow statement: a Deny-only policy replaces the default one and blocks CloudWatch');
    assert.deepEqual(allow.Principal, { Service: 'cloudwatch.amazonaws.com' });
    assert.equal(allow.Action, 'sns:Publish');
    assert.deepEqual(allow.Condition.StringEquals, { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    assert.deepEqual(allow.Condition.ArnLike, {
      'aws:SourceArn': {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudwatch:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':alarm:Newswire-*',
          ],
        ],
      },
    });
    const deny = statements.find((s) => s.Effect === 'Deny');
    assert.deepEqual(deny?.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('is only notified by alarms whose names match that policy', () => {
    for (const [id, alarm] of resources('AWS::CloudWatch::Alarm')) {
      assert.match(alarm.Properties.AlarmName as string, /^Newswire-[A-Za-z0-9]+$/, id);
    }
  });
});

/** The CloudFront metrics an alarm or widget JSON refers to, as [metricName, dimensions] pairs. */
const CLOUDFRONT_METRIC =
  /"AWS\/CloudFront","([A-Za-z0-9]+)","DistributionId","",\{"Ref":"[A-Za-z0-9]+"\},"","Region","Global"/g;

describe('CloudFront monitoring', () => {
  it('graphs CloudFront metrics from us-east-1 with Region=Global (else the graphs stay empty)', () => {
    const [[, dashboard]] = resources('AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.stringify(dashboard.Properties.DashboardBody).replaceAll('\\"', '"');
    const names = [...body.matchAll(CLOUDFRONT_METRIC)].map((m) => m[1]);
    assert.deepEqual(names.sort(), ['4xxErrorRate', '5xxErrorRate', 'BytesDownloaded', 'Requests']);
    const widgets = body.split('"type":"metric"').filter((w) => w.includes('AWS/CloudFront'));
    assert.equal(widgets.length, 3);
    for (const widget of widgets) assert.ok(widget.includes('"region":"us-east-1"'), widget.slice(0, 200));
  });

  const edgeAlarm = (of: Template) =>
    Object.entries(of.findResources('AWS::CloudWatch::Alarm')).find(([, a]) =>
      JSON.stringify(a).includes('"5xxErrorRate"'),
    );

  it('alarms on the 5xx rate readers see, where the metric lives: us-east-1', () => {
    // Env-agnostic: CloudFormation creates it only when the stack is deployed to us-east-1.
    const [id, alarm] = edgeAlarm(template)!;
    assert.equal(alarm.Condition, 'InCloudFrontMetricsRegion', id);
    assert.deepEqual(template.toJSON().Conditions.InCloudFrontMetricsRegion, {
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
    });
    const metrics = alarm.Properties.Metrics as Json[];
    const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    assert.deepEqual(stats.map((m) => m.MetricName).sort(), ['5xxErrorRate', 'Requests']);
    for (const metric of stats) {
      assert.equal(metric.Namespace, 'AWS/CloudFront');
      assert.deepEqual(metric.Dimensions[1], { Name: 'Region', Value: 'Global' });
    }
    assert.equal(alarm.Properties.AlarmName, 'Newswire-CloudFront5xxRate');

    const east = synthesize({ region: 'us-east-1' });
    const [, eastAlarm] = edgeAlarm(east.template)!;
    assert.equal(eastAlarm.Condition, undefined, 'in us-east-1 the alarm is unconditional');
    assert.equal(east.edgeAlarms, undefined);
  });

  it('puts the alarm and its own topic in a us-east-1 stack when the stack runs elsewhere', () => {
    const paris = synthesize({
      region: 'eu-west-3',
      account: '123456789012',
      alarmEmail: 'oncall@example.org',
    });
    assert.equal(edgeAlarm(paris.template), undefined);
    const edge = paris.edgeAlarms;
    assert.ok(edge);
    assert.equal(edge.region, 'us-east-1');
    assert.equal(edge.account, '123456789012');
    const edgeTemplate = Template.fromStack(edge);
    const [, alarm] = edgeAlarm(edgeTemplate)!;
    const topicId = Object.keys(edgeTemplate.findResources('AWS::SNS::Topic'))[0];
    assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topicId }]);
    // Named after the main stack's region: a second region's edge stack has its own alarm.
    assert.equal(alarm.Properties.AlarmName, 'Newswire-eu-west-3-CloudFront5xxRate');
    assert.equal(edge.stackName, 'Newswire-EdgeAlarms-eu-west-3');
    edgeTemplate.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'oncall@example.org' });
    edgeTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('first deploy', () => {
  it('refuses to deploy (synth still works) while newswire.config.ts holds example values', () => {
    const rule = template.toJSON().Rules.NoExampleValues;
    const parameter = template.toJSON().Parameters.ExampleValuesInConfig;
    assert.match(
      parameter.Default,
      /baseUrl = https:\/\/news\.example\.com; tagAuthority = news\.example\.com,2026/,
    );
    assert.deepEqual(rule.Assertions[0].Assert, { 'Fn::Equals': [{ Ref: 'ExampleValuesInConfig' }, ''] });
    assert.match(rule.Assertions[0].AssertDescription, /allowExampleValues=true/);
  });

  it('deploys example values when told to, for a throwaway stack', () => {
    const allowed = synthesize({ allowExampleValues: 'true' }).template.toJSON();
    assert.equal(allowed.Rules?.NoExampleValues, undefined);
    assert.equal(allowed.Parameters?.ExampleValuesInConfig, undefined);
  });

  it('links to the CloudFront address without a second deploy (no base URL baked in)', () => {
    for (const spec of FUNCTION_SPECS) {
      const fn = template.toJSON().Resources[functionId(spec.name)];
      const baseUrl = fn.Properties.Environment.Variables.NEWSWIRE_BASE_URL;
      if (spec.name !== 'notify') {
        assert.equal(baseUrl, undefined, spec.name);
        continue;
      }
      // notify is no origin of the distribution, so it can name the distribution's address: the feeds' self URLs.
      const distributionId = resources('AWS::CloudFront::Distribution')[0]![0];
      assert.deepEqual(baseUrl, {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
      });
    }
  });
});

describe('adopting a restored table (-c tableName=…)', () => {
  const restored = synthesize({ tableName: 'newswire-restored-2026-11-30' }).template;

  it('creates no table and points every function at the named one', () => {
    restored.resourceCountIs('AWS::DynamoDB::Table', 0);
    for (const fn of Object.values(restored.findResources('AWS::Lambda::Function'))) {
      assert.equal(fn.Properties.Environment.Variables.TABLE_NAME, 'newswire-restored-2026-11-30');
    }
  });

  it('grants the same actions on that table only', () => {
    const [statement] = tableStatements('feeds', restored);
    assert.match(JSON.stringify(statement!.Resource), /:table\/newswire-restored-2026-11-30"/);
    assert.ok(statement!.Condition);
  });
});
