/**
 * The subscriber estimate in the template: CloudFront's standard logs to the
 * access-log bucket, S3's notifications of new files on an encrypted queue,
 * the schedule that runs the counting function, its least-privilege role,
 * the salts' table that cannot be restored, TTL on the main table, and the
 * dashboard's widget; and none of it without access logs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Template } from 'aws-cdk-lib/assertions';
import { SCHEDULE_MINUTES } from '../../functions/subscribers.ts';
import { ACCESS_LOG_PREFIX } from '../../infra/constructs/cdn.ts';
import {
  MAX_RECEIVES,
  SUBSCRIBER_PARTITIONS,
  SUBSCRIBERS_FUNCTION,
} from '../../infra/constructs/subscribers.ts';
import { type Json, synthesize } from './synth.ts';

const { template } = synthesize({ accessLogs: 'true' });
const resources = (of: Template = template) => of.toJSON().Resources as Record<string, Json>;
const ofType = (type: string, of: Template = template) =>
  Object.entries(resources(of)).filter(([, r]) => r.Type === type);
const [functionId, fn] = ofType('AWS::Lambda::Function').find(
  ([, r]) => r.Properties.Description === SUBSCRIBERS_FUNCTION.description,
)!;
const [bucketId] = ofType('AWS::S3::Bucket')[0]!;
const [queueId, queue] = ofType('AWS::SQS::Queue').find(([id]) => id.includes('NewLogFiles'))!;
const [saltsId, salts] = ofType('AWS::DynamoDB::Table').find(([id]) => id.includes('Salts'))!;
const policy = ofType('AWS::IAM::Policy').find(([, p]) =>
  p.Properties.Roles.some((r: Json) => r.Ref === fn.Properties.Role['Fn::GetAtt'][0]),
)![1];
const statements = policy.Properties.PolicyDocument.Statement as Json[];
const actions = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('subscriber estimate: CloudFront logging', () => {
  it('delivers standard logs to the access-log bucket under their prefix', () => {
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
    assert.deepEqual(distribution.Properties.DistributionConfig.Logging, {
      Bucket: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
      Prefix: ACCESS_LOG_PREFIX,
    });
  });

  it('announces every new log file under the prefix on an encrypted queue, with a dead-letter queue', () => {
    const [, notifications] = ofType('Custom::S3BucketNotifications')[0]!;
    assert.deepEqual(notifications.Properties.NotificationConfiguration.QueueConfigurations, [
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: ACCESS_LOG_PREFIX }] } },
        QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
    assert.equal(queue.Properties.SqsManagedSseEnabled, true);
    assert.equal(queue.Properties.RedrivePolicy.maxReceiveCount, MAX_RECEIVES);
    // A file read but not yet counted stays hidden for longer than a run can last.
    assert.ok(queue.Properties.VisibilityTimeout > fn.Properties.Timeout);
  });
});

describe('subscriber estimate: the function and its schedule', () => {
  it(`runs every ${SCHEDULE_MINUTES} minutes, through its live alias`, () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id.startsWith('Subscribers'))!;
    assert.equal(rule.Properties.ScheduleExpression, `rate(${SCHEDULE_MINUTES} minutes)`);
    assert.match(JSON.stringify(rule.Properties.Targets), /SubscribersLive/);
  });

  it('knows its table, salts and queue', () => {
    const env = fn.Properties.Environment.Variables;
    assert.deepEqual(env.SALT_TABLE_NAME, { Ref: saltsId });
    assert.deepEqual(env.LOG_QUEUE_URL, { Ref: queueId });
    assert.ok(env.TABLE_NAME.Ref);
    assert.equal(fn.Properties.Timeout, SUBSCRIBERS_FUNCTION.timeoutMinutes * 60);
    assert.equal(fn.Properties.Runtime, 'nodejs24.x');
    assert.equal(functionId.startsWith('Subscribers'), true);
  });

  it('may touch only the estimate’s items, the salts, the queue and the log files', () => {
    const table = statements.find((s) => actions(s).includes('dynamodb:Query'))!;
    assert.deepEqual(table.Condition, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...SUBSCRIBER_PARTITIONS] },
    });
    const salt = statements.find((s) => JSON.stringify(s.Resource).includes(saltsId))!;
    assert.deepEqual([...actions(salt)].sort(), [
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    const s3 = statements.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    assert.deepEqual(s3.map(actions), [['s3:GetObject']]);
    assert.match(JSON.stringify(s3[0]?.Resource), new RegExp(`${bucketId}.*/${ACCESS_LOG_PREFIX}\\*`));
    assert.ok(!statements.some((s) => actions(s).some((a) => a.includes('*') && !a.startsWith('sqs:'))));
  });
});

describe('subscriber estimate: storage', () => {
  it('keeps each day’s salt in a table without point-in-time recovery, expiring by TTL, deleted with the stack', () => {
    assert.notEqual(salts.Properties.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, true);
    assert.deepEqual(salts.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
    assert.equal(salts.DeletionPolicy, 'Delete');
  });

  it('turns TTL on for the main table (summaries and client sets expire as a backstop)', () => {
    const [, main] = ofType('AWS::DynamoDB::Table').find(([id]) => id !== saltsId)!;
    assert.deepEqual(main.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
  });
});

describe('subscriber estimate: off without access logs', () => {
  const plain = synthesize().template;

  it('adds no function, queue, salts or notifications', () => {
    assert.equal(
      ofType('AWS::Lambda::Function', plain).some(
        ([, r]) => r.Properties.Description === SUBSCRIBERS_FUNCTION.description,
      ),
      false,
    );
    plain.resourceCountIs('Custom::S3BucketNotifications', 0);
    plain.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('still shows the dashboard widget, which says what it needs', () => {
    const [, dashboard] = ofType('AWS::CloudWatch::Dashboard', plain)[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody).replaceAll('\\', '');
    assert.match(body, /Subscribers per edition.*needs accessLogs=true/);
    assert.match(body, /MetricName="Subscribers"', 'Maximum', 86400/);
  });
});
