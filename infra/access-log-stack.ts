import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CLOUDFRONT_METRICS_REGION } from './constructs/alarms.ts';
import { createLogBucket } from './constructs/cdn.ts';

/**
 * The CloudFront access-log bucket of a Newswire stack in an opt-in region
 * (af-south-1, ap-east-1, eu-south-1, me-south-1, …): CloudFront delivers
 * standard logs to no bucket in those regions (Amazon CloudFront Developer
 * Guide, "Configure standard logging (legacy)", choosing a bucket), so the
 * bucket lives in us-east-1, as AWS's own solutions do for these regions.
 * Deployed before the main stack, which names the bucket through a
 * cross-region reference.
 */
export class NewswireAccessLogStack extends Stack {
  /** The bucket CloudFront writes the distribution's standard logs to. */
  readonly bucket: IBucket;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: 'Newswire: the CloudFront access-log bucket of a stack in an opt-in region',
      ...props,
      env: { ...props.env, region: CLOUDFRONT_METRICS_REGION },
      crossRegionReferences: true,
    });
    this.bucket = createLogBucket(this);
    new CfnOutput(this, 'AccessLogBucket', {
      value: this.bucket.bucketName,
      description: 'CloudFront standard logs (prefix cloudfront/), kept 90 days',
    });
  }
}
