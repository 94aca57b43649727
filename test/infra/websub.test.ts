/** The WebSub wiring: the table's stream, the notify function's triggers, its dead-letter queue and alarm. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { PINGS_IN_FLIGHT } from '../../functions/core/websub.ts';
import { HUB_TIMEOUT_MS } from '../../functions/http/hub-client.ts';
import { DEFAULT_PING_DELAY_MS, SWEEP_INTERVAL_MS } from '../../functions/notify.ts';
import { FUNCTION_SPECS } from '../../infra/constructs/functions.ts';
import { PING_QUEUE, STREAM_MAPPING, SWEEP_RETRY_ATTEMPTS } from '../../infra/constructs/websub.ts';
import { CUSTOM_DOMAIN_CONTEXT, type Json, synthesize } from './synth.ts';

const { template } = synthesize();
const all = (of: Template = template) => of.toJSON().Resources as Record<string, Json>;
const ofType = (type: string, of: Template = template) =>
  Object.entries(all(of)).filter(([, r]) => r.Type === type);
const one = (type: string, of: Template = template): [string, Json] => {
  const found = ofType(type, of);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0]!;
};
const notifySpec = FUNCTION_SPECS.find((s) => s.name === 'notify')!;
const [notifyId, notifyFn] = ofType('AWS::Lambda::Function').find(
  ([, r]) => r.Properties.Description === notifySpec.description,
)!;
const [aliasId] = ofType('AWS::Lambda::Alias').find(([, r]) => r.Properties.FunctionName.Ref === notifyId)!;
const queues = ofType('AWS::SQS::Queue');
const [queueId, queue] = queues.find(([, q]) => q.Properties.FifoQueue !== true)!;
const [pingsId, pings] = queues.find(([id]) => id.includes('WebSubPings'))!;
const [pingDeadId, pingDead] = queues.find(([id]) => id.includes('PingDeadLetters'))!;
const mappings = ofType('AWS::Lambda::EventSourceMapping');
const streamMapping = mappings.find(([, m]) => m.Properties.StartingPosition !== undefined)!;
const queueMapping = mappings.find(([, m]) => m.Properties.StartingPosition === undefined)!;
const [tableId] = one('AWS::DynamoDB::Table');

describe('WebSub: the table stream', () => {
  it('is on, keys only: a changed item’s key is all notify reads', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
    });
  });
});

describe('WebSub: the stream event source mapping', () => {
  const [, mapping] = streamMapping;
  const props = mapping.Properties;

  it('invokes notify’s live alias with batches from the table stream, from its oldest record, one per shard', () => {
    // `<function name>:live`, taken from the alias ARN.
    assert.match(JSON.stringify(props.FunctionName), new RegExp(`"Ref":"${aliasId}".*":live"`));
    assert.deepEqual(props.EventSourceArn, { 'Fn::GetAtt': [tableId, 'StreamArn'] });
    // Records written while the mapping is created or switched (a restored table) are still announced.
    assert.equal(props.StartingPosition, 'TRIM_HORIZON');
    assert.equal(props.ParallelizationFactor, 1);
    assert.equal(STREAM_MAPPING.parallelizationFactor, 1);
    assert.equal(props.BatchSize, STREAM_MAPPING.batchSize);
    assert.equal(props.MaximumBatchingWindowInSeconds, STREAM_MAPPING.maxBatchingWindowSeconds);
  });

  it('bisects a failing batch, retries a bounded number of times', () => {
    assert.deepEqual(props.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.equal(props.BisectBatchOnFunctionError, true);
    assert.equal(props.MaximumRetryAttempts, 5);
    assert.equal(props.MaximumRecordAgeInSeconds, 3600);
  });

  it('sends what keeps failing to the dead-letter queue', () => {
    assert.deepEqual(props.DestinationConfig, {
      OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });
});

describe('WebSub: the ping queue', () => {
  it('holds every ping until CloudFront’s copies have expired, so no function waits', () => {
    assert.equal(pings.Properties.FifoQueue, true, 'FIFO: a message sent twice is queued once');
    assert.equal(pings.Properties.DelaySeconds, DEFAULT_PING_DELAY_MS / 1000);
    assert.equal(pings.Properties.DelaySeconds, 33);
    // The function cannot outlast the wait it used to sleep through: it has nothing to wait for.
    assert.ok(notifyFn.Properties.Timeout * 1000 < DEFAULT_PING_DELAY_MS);
    assert.equal(pings.Properties.SqsManagedSseEnabled, true);
  });

  it('hands pings to notify’s live alias 10 at a time, at most 2 invocations at once, reporting each failure', () => {
    const props = queueMapping[1].Properties;
    assert.match(JSON.stringify(props.FunctionName), new RegExp(`"Ref":"${aliasId}".*":live"`));
    assert.deepEqual(props.EventSourceArn, { 'Fn::GetAtt': [pingsId, 'Arn'] });
    assert.equal(props.BatchSize, PING_QUEUE.batchSize);
    assert.deepEqual(props.ScalingConfig, { MaximumConcurrency: PING_QUEUE.maxConcurrency });
    assert.deepEqual(props.FunctionResponseTypes, ['ReportBatchItemFailures']);
  });

  it('gives a message back after six function timeouts, and dead-letters it after 5 deliveries', () => {
    assert.equal(pings.Properties.VisibilityTimeout, notifyFn.Properties.Timeout * 6);
    assert.deepEqual(pings.Properties.RedrivePolicy, {
      deadLetterTargetArn: { 'Fn::GetAtt': [pingDeadId, 'Arn'] },
      maxReceiveCount: PING_QUEUE.maxReceiveCount,
    });
    assert.equal(pingDead.Properties.FifoQueue, true);
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(
      ([, a]) => a.Properties.AlarmName === 'Newswire-PingDeadLetters',
    )!;
    assert.deepEqual(alarm.Properties.Dimensions, [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [pingDeadId, 'QueueName'] } },
    ]);
  });

  it('is named to notify, which alone may send to it', () => {
    assert.deepEqual(notifyFn.Properties.Environment.Variables.NEWSWIRE_PING_QUEUE_URL, { Ref: pingsId });
  });
});

describe('WebSub: the sweep for scheduled stories', () => {
  it('runs every minute (the interval the handler floors to) and invokes notify’s live alias', () => {
    assert.equal(SWEEP_INTERVAL_MS, 60_000);
    const [, rule] = one('AWS::Events::Rule');
    assert.equal(rule.Properties.ScheduleExpression, 'cron(* * * * ? *)');
    const [target] = rule.Properties.Targets as Json[];
    assert.deepEqual(target!.Arn, { Ref: aliasId });
    assert.equal(target!.RetryPolicy.MaximumRetryAttempts, SWEEP_RETRY_ATTEMPTS);
    assert.deepEqual(target!.DeadLetterConfig, { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
  });

  it('retries a failed sweep twice, then sends it to the dead-letter queue', () => {
    const [, config] = one('AWS::Lambda::EventInvokeConfig');
    assert.deepEqual(config.Properties.FunctionName, { Ref: notifyId });
    assert.match(
      JSON.stringify(config.Properties.Qualifier),
      new RegExp(`"Ref":"${aliasId}"`),
      'the live alias',
    );
    assert.equal(config.Properties.MaximumRetryAttempts, 2);
    assert.equal(config.Properties.MaximumEventAgeInSeconds, 3600);
    assert.deepEqual(config.Properties.DestinationConfig.OnFailure.Destination, {
      'Fn::GetAtt': [queueId, 'Arn'],
    });
  });
});

describe('WebSub: the dead-letter queue', () => {
  it('is encrypted, keeps messages 14 days, and refuses anything but TLS', () => {
    assert.equal(queue.Properties.SqsManagedSseEnabled, true);
    assert.equal(queue.Properties.MessageRetentionPeriod, 14 * 24 * 3600);
    const policies = ofType('AWS::SQS::QueuePolicy');
    assert.equal(policies.length, 3, 'one for each queue');
    const [, policy] = policies.find(([, p]) =>
      JSON.stringify(p.Properties.Queues).includes(`"${queueId}"`),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    assert.ok(
      statements.some(
        (s) =>
          s.Effect === 'Deny' &&
          s.Condition?.Bool?.['aws:SecureTransport'] === 'false' &&
          s.Action === 'sqs:*',
      ),
    );
  });

  it('may be written by notify (its failure destination, and the ping queue), and by nothing else in the stack', () => {
    const senders = ofType('AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Json[]).some((s) =>
        JSON.stringify(s.Action).includes('sqs:SendMessage'),
      ),
    );
    assert.deepEqual(
      senders.map(([, p]) => p.Properties.Roles),
      [[{ Ref: notifyFn.Properties.Role['Fn::GetAtt'][0] }]],
    );
  });

  it('is alarmed on: one message notifies the alarm topic', () => {
    const [id, alarm] = ofType('AWS::CloudWatch::Alarm').find(
      ([, a]) =>
        JSON.stringify(a.Properties).includes('ApproximateNumberOfMessagesVisible') &&
        JSON.stringify(a.Properties.Dimensions).includes(`"${queueId}"`),
    )!;
    assert.equal(alarm.Properties.AlarmName, 'Newswire-NotifyDeadLetters', id);
    assert.deepEqual(alarm.Properties.Dimensions, [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } },
    ]);
    assert.equal(alarm.Properties.Threshold, 1);
    assert.equal(alarm.Properties.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
    const [topicId] = one('AWS::SNS::Topic');
    assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topicId }]);
  });
});

describe('WebSub: the notify function', () => {
  it('bounds a hung hub: a batch’s pings, 10 at a time with a 5 s timeout each, fit well within its timeout', () => {
    // 10 messages × 3 formats, one topic per request to a generic hub: 3 rounds of 5 s.
    const rounds = Math.ceil((PING_QUEUE.batchSize * 3) / PINGS_IN_FLIGHT);
    assert.ok(notifyFn.Properties.Timeout * 1000 >= rounds * HUB_TIMEOUT_MS + 5000 + 1000);
  });

  it('names the custom domain, when there is one, as the feeds do', () => {
    const custom = synthesize({ ...CUSTOM_DOMAIN_CONTEXT }).template;
    const [, fn] = ofType('AWS::Lambda::Function', custom).find(
      ([, r]) => r.Properties.Description === notifySpec.description,
    )!;
    assert.equal(fn.Properties.Environment.Variables.NEWSWIRE_BASE_URL, 'https://news.example.org');
  });

  it('on a restored table, follows the stream it is given, and warns when it is given none', () => {
    const withoutStream = synthesize({ tableName: 'newswire-restored' });
    withoutStream.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    Annotations.fromStack(withoutStream.stack).hasWarning('*', Match.stringLikeRegexp('.*tableStreamArn.*'));
    const arn =
      'arn:aws:dynamodb:eu-west-1:123456789012:table/newswire-restored/stream/2026-11-30T09:00:00.000';
    const withStream = synthesize({ tableName: 'newswire-restored', tableStreamArn: arn }).template;
    withStream.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn,
      BisectBatchOnFunctionError: true,
    });
  });
});
