import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CLOUDFRONT_METRICS_REGION } from './constructs/alarms.ts';
import { createRateLimitWebAcl } from './constructs/web-acl.ts';

/** Inputs of the WAF stack. */
export interface NewswireWafStackProps extends StackProps {
  /** Requests one client address may make in 5 minutes. */
  readonly rateLimit: number;
}

/**
 * The AWS WAF web ACL of a Newswire stack (`-c waf=true`): web ACLs for a
 * CloudFront distribution live in us-east-1 whatever the distribution's
 * stack region, so this small stack does, and the main stack names the web
 * ACL through a cross-region reference. Deployed before the main stack.
 */
export class NewswireWafStack extends Stack {
  /** The web ACL's ARN, which the distribution takes as its WebACLId. */
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: NewswireWafStackProps) {
    const { rateLimit, ...stackProps } = props;
    super(scope, id, {
      description:
        'Newswire: the AWS WAF web ACL of the CloudFront distribution (a rate limit per client address)',
      ...stackProps,
      env: { ...stackProps.env, region: CLOUDFRONT_METRICS_REGION },
      crossRegionReferences: true,
    });
    const webAcl = createRateLimitWebAcl(this, 'WebAcl', rateLimit);
    this.webAclArn = webAcl.attrArn;
    new CfnOutput(this, 'WebAclArn', {
      value: webAcl.attrArn,
      description: 'The web ACL attached to the distribution',
    });
  }
}
