import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createNewswireApp } from '../../infra/newswire-app.ts';
import { CDK_JSON_CONTEXT, CUSTOM_DOMAIN_CONTEXT } from './synth.ts';

/**
 * Every cfn-lint finding Newswire accepts, in one place, each with its reason. A finding
 * is silenced only when rule, resource type and property all match.
 */
const SILENCED: readonly { rule: string; resourceType: string; property?: string; reason: string }[] = [
  {
    rule: 'W3005',
    resourceType: 'AWS::Lambda::Function',
    property: 'DependsOn',
    reason:
      'aws-cdk-lib makes every function DependsOn its role and the role policy; the role is also a GetAtt. ' +
      'Redundant, harmless, and not ours to change.',
  },
  {
    rule: 'E3002',
    resourceType: 'AWS::CloudWatch::Dashboard',
    property: 'Tags',
    reason:
      "CloudFormation's AWS::CloudWatch::Dashboard takes Tags (aws-cdk-lib's generated L1 has them, from the " +
      "CloudFormation schema); the installed cfn-lint's bundled schema predates them. Nothing else may use E3002.",
  },
];

/** The deployments whose templates are linted: env-agnostic, pinned to us-east-1, and elsewhere (edge stack). */
const VARIANTS: Record<string, Record<string, string>> = {
  'env-agnostic': {},
  'us-east-1': { region: 'us-east-1', account: '123456789012' },
  'custom domain, eu-west-3': CUSTOM_DOMAIN_CONTEXT,
  'restored table, reserved concurrency, example values allowed': {
    tableName: 'newswire-restored',
    writeConcurrency: '20',
    allowExampleValues: 'true',
  },
};

interface Finding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location: { Path: (string | number)[] };
}

/** The cfn-lint these templates were last linted with (and the silenced findings checked against). */
const TESTED_VERSION = '1.51.0';

function cfnLintVersion(): string {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    // A missing prerequisite, not a bug: one line that says what to install, without a stack trace.
    const missing = new Error(
      `cfn-lint is not on PATH. Install it with "pip install cfn-lint==${TESTED_VERSION}" (a Python 3.9+ ` +
        'program from PyPI; neither npm nor Debian packages it), make sure "cfn-lint --version" works, then rerun npm test.',
    );
    missing.stack = missing.message;
    throw missing;
  }
  return probe.stdout.trim();
}

describe('cfn-lint over the synthesized templates', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'newswire-cfn-lint-'));
  after(() => rmSync(outdir, { recursive: true, force: true }));

  it(`finds nothing but the silenced findings in: ${Object.keys(VARIANTS).join('; ')}`, (t) => {
    t.diagnostic(cfnLintVersion());
    // One cfn-lint run over every variant: its start-up costs more than linting a template.
    const templates = Object.entries(VARIANTS).flatMap(([variant, context]) => {
      const dir = join(outdir, variant.replace(/[^a-z0-9]+/gi, '-'));
      createNewswireApp({
        outdir: dir,
        context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
      }).app.synth();
      return readdirSync(dir)
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => join(dir, f));
    });
    assert.ok(templates.length > Object.keys(VARIANTS).length, 'the eu-west-3 variant adds the edge stack');
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], { encoding: 'utf8' });
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    assert.ok(run.status === 0 || findings.length > 0, `cfn-lint failed: ${run.stderr}`);
    const unexpected = findings.filter((finding) => {
      const [section, logicalId, property] = finding.Location.Path;
      const template = JSON.parse(readFileSync(finding.Filename, 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      const type = section === 'Resources' ? template.Resources[String(logicalId)]?.Type : undefined;
      const inProperties = property === 'Properties' ? finding.Location.Path[3] : property;
      return !SILENCED.some(
        (s) =>
          s.rule === finding.Rule.Id &&
          s.resourceType === type &&
          (s.property === undefined || s.property === inProperties),
      );
    });
    assert.deepEqual(
      unexpected.map(
        (f) => `${f.Rule.Id} ${f.Filename.slice(outdir.length)} ${f.Location.Path.join('/')}: ${f.Message}`,
      ),
      [],
    );
  });

  it('keeps every silenced rule justified', () => {
    for (const s of SILENCED) assert.ok(s.reason.length >= 60, s.rule);
  });
});
