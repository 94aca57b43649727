import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { build, CUSTOM_DOMAIN_CONTEXT } from './synth.ts';

/** Every acknowledged rule in the tree: where, which rule, and the reason given. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
  );
}

for (const [variant, context] of [
  ['default deployment', {}],
  ['custom domain, access logs, WAF', CUSTOM_DOMAIN_CONTEXT],
] as const) {
  describe(`cdk-nag AwsSolutions, ${variant}`, () => {
    const { app, stack } = build(context);

    it('reports no unacknowledged finding, error or warning', () => {
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
      const findings = report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      assert.deepEqual(findings, []);
    });

    it('synthesizes with the checks installed as in infra/app.ts, and no CDK errors', () => {
      assert.doesNotThrow(() => app.synth());
      assert.deepEqual(Annotations.fromStack(stack).findError('*', Match.anyValue()), []);
    });

    it('gives every acknowledged rule a reason a reviewer can check', () => {
      const acks = acknowledgments(stack);
      assert.ok(acks.length > 0);
      for (const ack of acks) {
        assert.match(ack.id, /^AwsSolutions-[A-Z]+\d+/, ack.path);
        assert.ok(ack.reason.length >= 80, `${ack.id} at ${ack.path}: reason too short`);
      }
    });
  });
}
