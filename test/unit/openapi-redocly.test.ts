/**
 * The OpenAPI document the API serves, linted by Redocly's own CLI (npm
 * `@redocly/cli`) with its recommended ruleset. A finding is accepted only
 * when it is listed below with its reason, as the cfn-lint test does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { openApiDocument } from '../../functions/http/openapi.ts';
import config from '../../newswire.config.ts';

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer: string }[];
}

/** A path (JSON pointer under #/paths) with the reason a finding about it is accepted. */
const ACCEPTED: readonly { rule: string; paths: RegExp; reason: string }[] = [
  {
    rule: 'no-path-trailing-slash',
    // The pages and the reference: /api/, /{edition}/, /{edition}/{section}/, /{edition}/top/, /authors/…/, /topics/…/
    paths:
      /^\/(api|\{edition\}|\{edition\}\/\{section\}|\{edition\}\/top|authors\/\{author\}|topics\/\{topic\})\/$/,
    reason:
      "The site's pages are folders by design (each page's feeds are files beside it: /europe/ and " +
      '/europe/rss.xml), so their documented paths end in "/" as their URLs do; feeds and API operations never do.',
  },
  {
    rule: 'no-ambiguous-paths',
    // Public feeds and pages, and subscribers' private copies of the feeds under /private/{token}/.
    paths:
      /^(\/private\/\{token\})?\/(authors\/\{author\}|topics\/\{topic\})\/(rss\.xml|atom\.xml|feed\.json)?$/,
    reason:
      'A writer or topic path (/authors/{author}/…, /topics/{topic}/…) reads like /{edition}/top/… to a linter, ' +
      'but "authors" and "topics" are reserved: the config refuses them as edition ids, so one URL never means both ' +
      '(nor under /private/{token}/, which copies the same paths).',
  },
];

const bin = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
const work = mkdtempSync(join(tmpdir(), 'newswire-redocly-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The path a finding's JSON pointer names (`#/paths/~1{edition}~1` → `/{edition}/`). */
function pathOf(finding: Finding): string {
  const pointer = finding.location[0]?.pointer ?? '';
  const segment = /^#\/paths\/([^/]+)/.exec(pointer)?.[1] ?? '';
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

test('the OpenAPI document passes Redocly’s recommended rules, but for the findings accepted with a reason', () => {
  const file = join(work, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument(config), null, 2));
  const lint = spawnSync(process.execPath, [bin, 'lint', file, '--extends=recommended', '--format=json'], {
    cwd: work,
    encoding: 'utf8',
    // No telemetry, no update check: nothing leaves the machine.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const report = JSON.parse(lint.stdout) as { problems: Finding[]; version: string };
  assert.equal(report.version, '2.77.0', 'the Redocly CLI version this test was written against');
  const unaccepted = report.problems.filter(
    (finding) => !ACCEPTED.some((a) => a.rule === finding.ruleId && a.paths.test(pathOf(finding))),
  );
  assert.deepEqual(
    unaccepted.map((f) => `${f.severity} ${f.ruleId} at ${f.location[0]?.pointer}: ${f.message}`),
    [],
  );
  // Each accepted rule is still needed: a finding that went away takes its entry with it.
  for (const accepted of ACCEPTED) {
    assert.ok(
      report.problems.some((f) => f.ruleId === accepted.rule),
      `${accepted.rule} no longer reports anything: remove it from ACCEPTED`,
    );
  }
});
