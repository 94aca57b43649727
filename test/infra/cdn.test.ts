import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { API_PATH_PATTERN, READ_PATH_PATTERN, VIEWER_COUNTRY_HEADER } from '../../infra/constructs/cdn.ts';
import { originShieldRegionFor } from '../../infra/origin-shield.ts';
import { CUSTOM_DOMAIN_CONTEXT, type Json, synthesize } from './synth.ts';

// Managed policy ids, as published in the CloudFront Developer Guide.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const plain = synthesize();
const custom = synthesize(CUSTOM_DOMAIN_CONTEXT);

const resourcesOf = (template: typeof plain.template) => template.toJSON().Resources as Record<string, Json>;
const distributionOf = (template: typeof plain.template): Json => {
  const [distribution, ...others] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  assert.equal(others.length, 0);
  return distribution!.Properties.DistributionConfig;
};
const resolve = (template: typeof plain.template, ref: Json | string): Json =>
  typeof ref === 'string' ? { managed: ref } : resourcesOf(template)[ref.Ref]!.Properties;

const config = distributionOf(plain.template);
const behaviours: Json[] = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
const byPattern = (pattern: string): Json => {
  const found = (config.CacheBehaviors as Json[]).find((b) => b.PathPattern === pattern);
  assert.ok(found, pattern);
  return found;
};
const cacheKeyOf = (behaviour: Json): Json =>
  resolve(plain.template, behaviour.CachePolicyId).CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin;

describe('CloudFront distribution', () => {
  it('redirects HTTP to HTTPS and compresses on every behaviour', () => {
    for (const behaviour of behaviours) {
      assert.equal(behaviour.ViewerProtocolPolicy, 'redirect-to-https', behaviour.PathPattern ?? '*');
      assert.equal(behaviour.Compress, true, behaviour.PathPattern ?? '*');
    }
  });

  it('matches /api/* first, then every path but /, leaving only / to the default behaviour', () => {
    assert.deepEqual(
      (config.CacheBehaviors as Json[]).map((b) => b.PathPattern),
      [API_PATH_PATTERN, READ_PATH_PATTERN],
    );
  });

  it('never caches /api/*, allows every method there and forwards all headers but Host', () => {
    const api = byPattern(API_PATH_PATTERN);
    assert.equal(api.CachePolicyId, CACHING_DISABLED);
    assert.equal(api.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST_HEADER);
    for (const method of ['PUT', 'DELETE', 'GET', 'POST'])
      assert.ok(api.AllowedMethods.includes(method), method);
  });

  it('caches reads by origin Cache-Control (0 s – 1 day, default 60 s), whole query string and encoding', () => {
    for (const behaviour of [config.DefaultCacheBehavior, byPattern(READ_PATH_PATTERN)]) {
      assert.deepEqual(behaviour.AllowedMethods, ['GET', 'HEAD']);
      const policy = resolve(plain.template, behaviour.CachePolicyId).CachePolicyConfig;
      assert.equal(policy.MinTTL, 0);
      assert.equal(policy.DefaultTTL, 60);
      assert.equal(policy.MaxTTL, 86400);
      const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
      assert.equal(key.QueryStringsConfig.QueryStringBehavior, 'all');
      assert.equal(key.CookiesConfig.CookieBehavior, 'none');
      assert.equal(key.EnableAcceptEncodingGzip, true);
      assert.equal(key.EnableAcceptEncodingBrotli, true);
    }
  });

  it('passes CloudFront-Viewer-Country (and caches per country) for / only, never for feeds', () => {
    assert.deepEqual(cacheKeyOf(config.DefaultCacheBehavior).HeadersConfig, {
      HeaderBehavior: 'whitelist',
      Headers: [VIEWER_COUNTRY_HEADER],
    });
    assert.deepEqual(cacheKeyOf(byPattern(READ_PATH_PATTERN)).HeadersConfig, { HeaderBehavior: 'none' });
    assert.equal(byPattern(READ_PATH_PATTERN).OriginRequestPolicyId, undefined);
    assert.equal(config.DefaultCacheBehavior.OriginRequestPolicyId, undefined);
  });

  it('sends security headers on every response', () => {
    for (const behaviour of behaviours) {
      const headers = resolve(plain.template, behaviour.ResponseHeadersPolicyId).ResponseHeadersPolicyConfig
        .SecurityHeadersConfig;
      assert.ok(headers.StrictTransportSecurity.AccessControlMaxAgeSec >= 31536000);
      assert.equal(headers.ContentTypeOptions.Override, true);
      assert.equal(headers.FrameOptions.FrameOption, 'DENY');
      assert.equal(headers.ReferrerPolicy.ReferrerPolicy, 'strict-origin-when-cross-origin');
      const csp: string = headers.ContentSecurityPolicy.ContentSecurityPolicy;
      for (const directive of [
        "default-src 'self'",
        "img-src 'self' https: data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline'",
      ]) {
        assert.ok(csp.includes(directive), directive);
      }
    }
  });

  it('shields the origin, in the region recommended for the stack region', () => {
    const [origin] = config.Origins as Json[];
    assert.equal(config.Origins.length, 1);
    assert.equal(origin!.OriginShield.Enabled, true);
    // Env-agnostic: CloudFormation looks the region up in a mapping at deploy time.
    assert.deepEqual(origin!.OriginShield.OriginShieldRegion, {
      'Fn::FindInMap': [Object.keys(plain.template.toJSON().Mappings)[0], { Ref: 'AWS::Region' }, 'shield'],
    });
    assert.equal(origin!.CustomOriginConfig.OriginProtocolPolicy, 'https-only');
    // Pinned to eu-west-3 (Paris), which has no Origin Shield: London is the nearest.
    const [customOrigin] = distributionOf(custom.template).Origins as Json[];
    assert.equal(customOrigin!.OriginShield.OriginShieldRegion, 'eu-west-2');
  });

  it('uses the default certificate and no access logs unless asked', () => {
    assert.equal(config.Aliases, undefined);
    assert.equal(config.Logging, undefined);
  });
});

describe('with a custom domain', () => {
  const customConfig = distributionOf(custom.template);

  it('serves the domain with its certificate over TLS 1.2+', () => {
    assert.deepEqual(customConfig.Aliases, [CUSTOM_DOMAIN_CONTEXT.domainName]);
    assert.deepEqual(customConfig.ViewerCertificate, {
      AcmCertificateArn: CUSTOM_DOMAIN_CONTEXT.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('tells the functions and the outputs the public URL', () => {
    const url = `https://${CUSTOM_DOMAIN_CONTEXT.domainName}`;
    for (const fn of Object.values(custom.template.findResources('AWS::Lambda::Function'))) {
      assert.equal(fn.Properties.Environment.Variables.NEWSWIRE_BASE_URL, url);
    }
    assert.equal(custom.template.toJSON().Outputs.SiteUrl.Value, url);
  });

  it('writes access logs to a private, TLS-only bucket when accessLogs=true', () => {
    const bucketId: string = customConfig.Logging.Bucket['Fn::GetAtt'][0];
    const bucket = resourcesOf(custom.template)[bucketId]!;
    assert.equal(bucket.DeletionPolicy, 'Retain');
    assert.deepEqual(bucket.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    custom.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      },
    });
  });

  it('attaches the given WAF web ACL', () => {
    assert.equal(customConfig.WebACLId, CUSTOM_DOMAIN_CONTEXT.webAclArn);
    assert.equal(config.WebACLId, undefined);
  });

  it('subscribes the alarm email', () => {
    custom.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: CUSTOM_DOMAIN_CONTEXT.alarmEmail,
    });
  });
});

describe('Origin Shield region', () => {
  const stackIn = (region: string) => new Stack(new App(), 'Probe', { env: { region } });

  it('is the stack region where Origin Shield runs, else the nearest AWS recommends', () => {
    assert.equal(originShieldRegionFor(stackIn('eu-west-1')), 'eu-west-1');
    assert.equal(originShieldRegionFor(stackIn('us-west-1')), 'us-west-2');
  });

  it('can be chosen, but only where Origin Shield runs', () => {
    assert.equal(originShieldRegionFor(stackIn('eu-west-3'), 'eu-central-1'), 'eu-central-1');
    assert.throws(
      () => originShieldRegionFor(stackIn('eu-west-1'), 'eu-west-3'),
      /does not run in eu-west-3/,
    );
  });

  it('must be chosen for a region with no recommendation', () => {
    assert.throws(() => originShieldRegionFor(stackIn('mx-central-1')), /-c originShieldRegion=/);
  });
});
