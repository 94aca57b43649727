import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { NewswireAccessLogStack } from '../../infra/access-log-stack.ts';
import type { NewswireEdgeAlarmStack } from '../../infra/edge-alarm-stack.ts';
import { createNewswireApp } from '../../infra/newswire-app.ts';
import type { NewswireStack } from '../../infra/newswire-stack.ts';
import type { NewswireWafStack } from '../../infra/waf-stack.ts';

/** The context of cdk.json (feature flags), which the CLI passes to the app and tests must pass too. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** A node of the synthesized CloudFormation template, which is untyped JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests index freely into template JSON and assert on what they find.
export type Json = Record<string, any>;

/** A synthesized Newswire app, for one test file to share. */
export interface Synthesized {
  readonly app: App;
  readonly stack: NewswireStack;
  /** The us-east-1 stack holding the CloudFront alarm, when the main stack's region is known and another. */
  readonly edgeAlarms?: NewswireEdgeAlarmStack;
  /** The us-east-1 stack holding the access-log bucket, for an opt-in region with access logs. */
  readonly accessLogs?: NewswireAccessLogStack;
  /** The us-east-1 stack holding the web ACL, with waf=true. */
  readonly waf?: NewswireWafStack;
  readonly template: Template;
}

/**
 * Builds the real app with the given `-c` context, skipping esbuild bundling
 * (NodejsFunction still checks that each entry file exists). Not synthesized yet.
 */
export function build(context: Record<string, string> = {}): Omit<Synthesized, 'template'> {
  return createNewswireApp({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
}

/** Builds and synthesizes the app; throws like `cdk synth` if cdk-nag reports a finding. */
export function synthesize(context: Record<string, string> = {}): Synthesized {
  const built = build(context);
  return { ...built, template: Template.fromStack(built.stack) };
}

/** Context of a production-like deployment: custom domain, alarm email, access logs, WAF, pinned region. */
export const CUSTOM_DOMAIN_CONTEXT = {
  domainName: 'news.example.org',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  alarmEmail: 'oncall@example.org',
  accessLogs: 'true',
  webAclArn:
    'arn:aws:wafv2:us-east-1:123456789012:global/webacl/newswire/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  region: 'eu-west-3',
} as const;
