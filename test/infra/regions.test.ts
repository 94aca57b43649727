/** Two regions of one account, and regions the stack cannot run in. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { REGIONS_WITHOUT_HTTP_APIS } from '../../infra/regions.ts';
import { type Json, synthesize } from './synth.ts';

/** Resource types whose names are global to an account (CloudFront), or to a region: one of each per stack. */
const NAME_PROPERTIES: Record<string, (properties: Json) => unknown> = {
  'AWS::CloudFront::CachePolicy': (p) => p.CachePolicyConfig.Name,
  'AWS::CloudFront::OriginRequestPolicy': (p) => p.OriginRequestPolicyConfig.Name,
  'AWS::CloudFront::ResponseHeadersPolicy': (p) => p.ResponseHeadersPolicyConfig.Name,
  'AWS::CloudFront::Function': (p) => p.Name,
  'AWS::CloudFront::OriginAccessControl': (p) => p.OriginAccessControlConfig.Name,
  'AWS::CloudWatch::Alarm': (p) => p.AlarmName,
  'AWS::CloudWatch::Dashboard': (p) => p.DashboardName,
  'AWS::Logs::LogGroup': (p) => p.LogGroupName,
  'AWS::SQS::Queue': (p) => p.QueueName,
  'AWS::SNS::Topic': (p) => p.TopicName,
  'AWS::Lambda::Function': (p) => p.FunctionName,
  'AWS::SecretsManager::Secret': (p) => p.Name,
  'AWS::DynamoDB::Table': (p) => p.TableName,
  'AWS::S3::Bucket': (p) => p.BucketName,
  'AWS::IAM::Role': (p) => p.RoleName,
  'AWS::Events::Rule': (p) => p.Name,
};

/** Every explicit name in a deployment's stacks, as `region type name` (region: where the resource lives). */
function namesOf(context: Record<string, string>): string[] {
  const built = synthesize(context);
  const stacks = [built.stack, ...(built.edgeAlarms === undefined ? [] : [built.edgeAlarms])];
  return stacks.flatMap((stack) =>
    Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Json>).flatMap(
      (resource) => {
        const name = NAME_PROPERTIES[resource.Type]?.(resource.Properties ?? {});
        if (name === undefined) return [];
        // CloudFront is global; everything else lives in its stack's region.
        const where = resource.Type.startsWith('AWS::CloudFront::') ? 'global' : stack.region;
        return [
          `${where} ${resource.Type} ${JSON.stringify(name).replaceAll('{"Ref":"AWS::Region"}', stack.region)}`,
        ];
      },
    ),
  );
}

describe('two regions, one account', () => {
  const common = {
    account: '123456789012',
    domainName: 'news.example.org',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    alarmEmail: 'oncall@example.org',
  };

  for (const [label, extra] of [
    ['with a custom domain', {}],
    ['on the cloudfront.net address', { domainName: '', certificateArn: '' }],
  ] as const) {
    it(`name nothing twice: the same stack in eu-west-1 and ap-southeast-2, ${label}`, () => {
      const first = namesOf({ ...common, ...extra, region: 'eu-west-1' });
      const second = namesOf({ ...common, ...extra, region: 'ap-southeast-2' });
      assert.ok(
        first.some((n) => n.startsWith('global AWS::CloudFront::')),
        'CloudFront names are checked',
      );
      assert.ok(
        first.some((n) => n.startsWith('us-east-1 AWS::CloudWatch::Alarm')),
        'the edge alarm is checked',
      );
      const clashes = first.filter((name) => second.includes(name));
      assert.deepEqual(clashes, []);
      assert.equal(new Set(first).size, first.length, 'nor twice within one deployment');
    });
  }

  it('each main stack has its own edge-alarm stack: the second region’s deploy does not take over the first’s', () => {
    const ireland = synthesize({ ...common, region: 'eu-west-1' }).edgeAlarms;
    const sydney = synthesize({ ...common, region: 'ap-southeast-2' }).edgeAlarms;
    assert.equal(ireland?.stackName, 'Newswire-EdgeAlarms-eu-west-1');
    assert.equal(sydney?.stackName, 'Newswire-EdgeAlarms-ap-southeast-2');
    assert.equal(ireland?.region, 'us-east-1');
  });
});

describe('regions without HTTP APIs', () => {
  it('are refused at synth with a message that names the region and what to do', () => {
    for (const region of REGIONS_WITHOUT_HTTP_APIS) {
      assert.throws(
        () => synthesize({ region }),
        (error: unknown) =>
          error instanceof Error &&
          error.message.includes(`cannot be deployed to ${region}`) &&
          error.message.includes('-c region='),
      );
    }
  });

  it('are refused by CloudFormation when the template’s region is decided at deploy time', () => {
    const rule = synthesize().template.toJSON().Rules.SupportedRegion;
    assert.deepEqual(rule.Assertions[0].Assert, {
      'Fn::Not': [{ 'Fn::Contains': [[...REGIONS_WITHOUT_HTTP_APIS], { Ref: 'AWS::Region' }] }],
    });
  });

  it('are exactly the regions whose CloudFormation schemas (as cfn-lint ships them) have no HTTP API', () => {
    const script = [
      'import importlib, pkgutil, cfnlint.data.schemas.providers as p',
      'for m in pkgutil.iter_modules(p.__path__):',
      '    mod = importlib.import_module(p.__name__ + "." + m.name)',
      '    t = getattr(mod, "types", None)',
      '    if t is not None and m.name.count("_") >= 2 and not m.name.startswith(("cn_", "us_gov", "us_iso", "eu_isoe")) and "AWS::ApiGatewayV2::Api" not in t:',
      '        print(m.name.replace("_", "-"))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    if (run.status !== 0) {
      // cfn-lint is a Python package: run.stderr names what is missing.
      assert.fail(`could not read cfn-lint's region data: ${run.stderr}`);
    }
    assert.deepEqual(run.stdout.trim().split('\n').sort(), [...REGIONS_WITHOUT_HTTP_APIS].sort());
  });
});

describe('access logs', () => {
  it('from an opt-in region go to a bucket in us-east-1, in a stack deployed before the main one', () => {
    const capeTown = synthesize({ region: 'af-south-1', account: '123456789012', accessLogs: 'true' });
    assert.ok(capeTown.accessLogs);
    assert.equal(capeTown.accessLogs.region, 'us-east-1');
    assert.equal(capeTown.accessLogs.stackName, 'Newswire-AccessLogs-af-south-1');
    assert.ok(capeTown.stack.dependencies.includes(capeTown.accessLogs));
    const logs = Template.fromStack(capeTown.accessLogs);
    logs.resourceCountIs('AWS::S3::Bucket', 1);
    logs.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    capeTown.template.resourceCountIs('AWS::S3::Bucket', 0);
    const [distribution] = Object.values(capeTown.template.findResources('AWS::CloudFront::Distribution'));
    const logging = distribution!.Properties.DistributionConfig.Logging;
    assert.equal(logging.Prefix, 'cloudfront/');
    assert.ok(JSON.stringify(logging.Bucket).length > 0);
  });

  it('from an enabled region go to the stack’s own bucket; a template without a region refuses opt-in ones', () => {
    const ireland = synthesize({ region: 'eu-west-1', account: '123456789012', accessLogs: 'true' });
    assert.equal(ireland.accessLogs, undefined);
    ireland.template.resourceCountIs('AWS::S3::Bucket', 1);
    const rule = synthesize({ accessLogs: 'true' }).template.toJSON().Rules.AccessLogRegion;
    assert.ok(JSON.stringify(rule.Assertions[0].Assert).includes('af-south-1'));
    assert.equal(synthesize().template.toJSON().Rules.AccessLogRegion, undefined);
  });
});
