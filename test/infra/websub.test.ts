/** The WebSub wiring: the table's stream, the notify function's triggers, its dead-letter queue and alarm. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_PING_DELAY_MS, SWEEP_INTERVAL_MS } from '../../functions/notify.ts';
import { FUNCTION_SPECS } from '../../infra/constructs/functions.ts';
import { STREAM_MAPPING, SWEEP_RETRY_ATTEMPTS } from '../../infra/constructs/websub.ts';
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
const [queueId, queue] = one('AWS::SQS::Queue');
const [tableId] = one('AWS::DynamoDB::Table');

describe('WebSub: the table stream', () => {
  it('is on, keys only: a changed item’s key is all notify reads', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
    });
  });
});

describe('WebSub: the stream event source mapping', () => {
  const [, mapping] = one('AWS::Lambda::EventSourceMapping');
  const props = mapping.Properties;

  it('invokes notify’s live alias with batches from the table stream, from the newest record', () => {
    // `<function name>:live`, taken from the alias ARN.
    assert.match(JSON.stringify(props.FunctionName), new RegExp(`"Ref":"${aliasId}".*":live"`));
    assert.deepEqual(props.EventSourceArn, { 'Fn::GetAtt': [tableId, 'StreamArn'] });
    assert.equal(props.StartingPosition, 'LATEST');
    assert.equal(props.BatchSize, STREAM_MAPPING.batchSize);
    assert.equal(props.ParallelizationFactor, STREAM_MAPPING.parallelizationFactor);
    assert.equal(props.MaximumBatchingWindowInSeconds, STREAM_MAPPING.maxBatchingWindowSeconds);
  });

  it('reports partial batch failures, bisects a failing batch, retries a bounded number of times', () => {
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
    const [, policy] = one('AWS::SQS::QueuePolicy');
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

  it('may be written by notify (its failure destination), and by nothing else in the stack', () => {
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
    const [id, alarm] = ofType('AWS::CloudWatch::Alarm').find(([, a]) =>
      JSON.stringify(a.Properties).includes('ApproximateNumberOfMessagesVisible'),
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
  it('outlasts its wait for cached feeds to expire plus a hung hub', () => {
    assert.ok(notifyFn.Properties.Timeout * 1000 >= DEFAULT_PING_DELAY_MS + 5000 + 10_000);
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
    withoutStream.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
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
