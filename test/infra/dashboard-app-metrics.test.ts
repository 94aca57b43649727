import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { METRIC } from '../../functions/http/metric-names.ts';
import { type Json, synthesize } from './synth.ts';

const { stack, template } = synthesize();

/** The dashboard body with its CloudFormation references flattened to text. */
function dashboardBody(): string {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Json[];
  const parts = dashboard?.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
}

describe('dashboard: application metrics', () => {
  const body = dashboardBody();
  const widgets = (JSON.parse(body.replace(/\{"Ref":"[^"]+"\}|\{"Fn::[^}]+\}/g, 'x')) as { widgets: Json[] })
    .widgets;

  it('graphs every metric the functions emit', () => {
    for (const metric of Object.values(METRIC))
      assert.ok(body.includes(`MetricName=\\"${metric}\\"`) || body.includes(`"${metric}"`), metric);
  });

  it('shows feeds by format and by edition, the 304 ratio, render time, writes and refusals', () => {
    const titles = widgets.map((w) => w.properties?.title).filter(Boolean);
    for (const title of [
      'Feeds served by format',
      'Feeds served by edition',
      '304 Not Modified (% of responses)',
      'Render time p99 (ms, store read included)',
      'Articles written by status',
      'Refusals by reason (problem type)',
    ]) {
      assert.ok(titles.includes(title), title);
    }
  });

  it('adds no synth warnings', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('.*(expression|metric).*'));
  });
});
