import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CLOUDFRONT_METRICS_REGION, cloudFront5xxAlarm, createAlarmTopic } from './constructs/alarms.ts';

/** Inputs of the edge alarm stack. */
export interface NewswireEdgeAlarmStackProps extends StackProps {
  /** The distribution of the main stack (a cross-region reference). */
  readonly distributionId: string;
  /** Prefix of the alarm's name: the main stack's name, so both stacks' alarms sort together. */
  readonly alarmNamePrefix: string;
  readonly alarmEmail?: string;
}

/**
 * The CloudFront 5xx alarm for a Newswire stack outside us-east-1. CloudFront publishes
 * its metrics in us-east-1 only, and a CloudWatch alarm can only watch metrics of its own
 * region, so this small stack lives in us-east-1 with its own SNS topic (an alarm
 * notifies topics of its own region).
 */
export class NewswireEdgeAlarmStack extends Stack {
  constructor(scope: Construct, id: string, props: NewswireEdgeAlarmStackProps) {
    const { distributionId, alarmNamePrefix, alarmEmail, ...stackProps } = props;
    super(scope, id, {
      description: 'Newswire: the CloudFront 5xx alarm, in the region of CloudFront metrics',
      ...stackProps,
      env: { ...stackProps.env, region: CLOUDFRONT_METRICS_REGION },
      crossRegionReferences: true,
    });
    const topic = createAlarmTopic(this, 'EdgeAlarmTopic', alarmNamePrefix, alarmEmail);
    cloudFront5xxAlarm(this, distributionId, topic, alarmNamePrefix);
  }
}
