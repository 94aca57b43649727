import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { type Json, synthesize } from './synth.ts';

const ACCOUNT = '123456789012';

function webAclOf(template: Template): Json {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL')) as Json[];
  assert.equal(acls.length, 1, 'one web ACL');
  return acls[0]!.Properties;
}

function distributionConfigOf(template: Template): Json {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as Json[];
  return distribution!.Properties.DistributionConfig;
}

describe('-c waf=true: a web ACL of its own, with a rate limit per client address', () => {
  const paris = synthesize({ waf: 'true', region: 'eu-west-3', account: ACCOUNT });

  it('lives in us-east-1, in a stack named after the main stack and its region, deployed first', () => {
    assert.ok(paris.waf);
    assert.equal(paris.waf.region, 'us-east-1', 'CloudFront takes web ACLs from us-east-1 only');
    assert.equal(paris.waf.stackName, 'Newswire-Waf-eu-west-3');
    assert.ok(paris.stack.dependencies.includes(paris.waf));
  });

  it('refuses a client address over 3,000 requests in 5 minutes with a 429, Retry-After and a JSON body', () => {
    const acl = webAclOf(Template.fromStack(paris.waf!));
    assert.equal(acl.Scope, 'CLOUDFRONT');
    assert.deepEqual(acl.DefaultAction, { Allow: {} });
    assert.equal(acl.Rules.length, 1);
    const [rule] = acl.Rules;
    assert.deepEqual(rule.Statement, {
      RateBasedStatement: { Limit: 3000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
    });
    const response = rule.Action.Block.CustomResponse;
    assert.equal(response.ResponseCode, 429);
    assert.deepEqual(response.ResponseHeaders, [{ Name: 'retry-after', Value: '60' }]);
    const body = acl.CustomResponseBodies[response.CustomResponseBodyKey];
    assert.equal(body.ContentType, 'APPLICATION_JSON');
    assert.deepEqual(
      { ...JSON.parse(body.Content), detail: undefined },
      { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: undefined },
    );
    assert.equal(rule.VisibilityConfig.CloudWatchMetricsEnabled, true, 'blocked requests are counted');
  });

  /** The distribution's WebACLId: the web ACL stack's output, read across regions. */
  const webAclIdOf = (template: Template): Json =>
    distributionConfigOf(template).WebACLId['Fn::GetStackOutput'];

  it('is attached to the distribution, through a cross-region reference', () => {
    const id = webAclIdOf(paris.template);
    assert.equal(id.StackName, 'Newswire-Waf-eu-west-3');
    assert.equal(id.Region, 'us-east-1');
    assert.match(id.OutputName, /WebAclArn/);
  });

  it('in us-east-1 too, with the limit from -c wafRateLimit', () => {
    const virginia = synthesize({ waf: 'true', wafRateLimit: '600', region: 'us-east-1', account: ACCOUNT });
    assert.equal(virginia.waf?.stackName, 'Newswire-Waf-us-east-1');
    assert.equal(webAclIdOf(virginia.template).StackName, 'Newswire-Waf-us-east-1');
    const acl = webAclOf(Template.fromStack(virginia.waf!));
    assert.equal(acl.Rules[0].Statement.RateBasedStatement.Limit, 600);
  });

  it('needs the stack’s region, and makes nothing when not asked for', () => {
    assert.throws(() => synthesize({ waf: 'true' }), /waf=true.*needs the stack's region/);
    const plain = synthesize({ region: 'eu-west-3', account: ACCOUNT });
    assert.equal(plain.waf, undefined);
    assert.equal(distributionConfigOf(plain.template).WebACLId, undefined);
  });
});
