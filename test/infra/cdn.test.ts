import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { VIEWER_HOST_HEADER as FUNCTIONS_HOST_HEADER } from '../../functions/http/site.ts';
import {
  API_PATH_PATTERN,
  PRIVATE_PATH_PATTERN,
  READ_PATH_PATTERN,
  VIEWER_COUNTRY_HEADER,
  VIEWER_HOST_HEADER,
} from '../../infra/constructs/cdn.ts';
import { FUNCTION_SPECS } from '../../infra/constructs/functions.ts';
import { EDGE_FUNCTION_LIMIT_BYTES, viewerRequestCode } from '../../infra/edge/gate.ts';
import {
  ORIGIN_SHIELD_REGIONS,
  ORIGIN_SHIELD_SITES,
  originShieldRegionFor,
} from '../../infra/origin-shield.ts';
import site from '../../newswire.config.ts';
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
  it('redirects reads from HTTP to HTTPS and compresses on every behaviour', () => {
    for (const behaviour of behaviours) {
      assert.equal(behaviour.Compress, true, behaviour.PathPattern ?? '*');
    }
    for (const behaviour of [config.DefaultCacheBehavior, byPattern(READ_PATH_PATTERN)]) {
      assert.equal(behaviour.ViewerProtocolPolicy, 'redirect-to-https', behaviour.PathPattern ?? '*');
    }
  });

  it('refuses plain HTTP on /api/* (a bearer key sent over HTTP is already leaked; no redirect hides it)', () => {
    assert.equal(byPattern(API_PATH_PATTERN).ViewerProtocolPolicy, 'https-only');
    assert.equal(distributionOf(custom.template).CacheBehaviors[0].ViewerProtocolPolicy, 'https-only');
  });

  it('matches /api/* first, then /private/*, then every path but /, leaving only / to the default behaviour', () => {
    assert.deepEqual(
      (config.CacheBehaviors as Json[]).map((b) => b.PathPattern),
      [API_PATH_PATTERN, PRIVATE_PATH_PATTERN, READ_PATH_PATTERN],
    );
  });

  it('never caches a private feed: /private/* takes every private path, with caching disabled and no token in a cache key', () => {
    // CloudFront's path patterns: `*` any run of characters, `?` exactly one, case-sensitive, the first
    // behaviour in order that matches wins (CacheBehavior, PathPattern, in the CloudFront API reference).
    const matches = (pattern: string, path: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(path);
    const behaviourFor = (path: string): Json =>
      (config.CacheBehaviors as Json[]).find((b) => matches(b.PathPattern, path)) ??
      config.DefaultCacheBehavior;
    const token = `ns_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const path of [
      `/private/${token}/europe/rss.xml`,
      `/private/${token}/europe/world/atom.xml`,
      `/private/${token}/authors/ana-ortiz/feed.json`,
      `/private/${token}/`,
      `/private/${token}`,
    ]) {
      assert.equal(behaviourFor(path).PathPattern, PRIVATE_PATH_PATTERN, path);
    }
    // A public path never lands there.
    assert.equal(behaviourFor('/europe/rss.xml').PathPattern, READ_PATH_PATTERN);
    const priv = byPattern(PRIVATE_PATH_PATTERN);
    // The managed CachingDisabled policy: TTLs of 0 and nothing in a cache key (no copy is ever stored).
    assert.equal(priv.CachePolicyId, CACHING_DISABLED);
    assert.equal(priv.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST_HEADER);
    assert.deepEqual(priv.AllowedMethods, ['GET', 'HEAD']);
    assert.equal(
      priv.ViewerProtocolPolicy,
      'https-only',
      'a token sent over plain HTTP is refused, not redirected',
    );
    // No behaviour that caches takes a private path, so no cached copy is keyed by a token.
    for (const behaviour of behaviours) {
      if (behaviour.CachePolicyId === CACHING_DISABLED) continue;
      assert.notEqual(
        behaviourFor(`/private/${token}/europe/rss.xml`),
        behaviour,
        behaviour.PathPattern ?? '*',
      );
    }
  });

  it('never caches /api/*, allows every method there and forwards all headers but Host', () => {
    const api = byPattern(API_PATH_PATTERN);
    assert.equal(api.CachePolicyId, CACHING_DISABLED);
    assert.equal(api.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST_HEADER);
    for (const method of ['PUT', 'DELETE', 'GET', 'POST'])
      assert.ok(api.AllowedMethods.includes(method), method);
  });

  it('caches reads by origin Cache-Control (0 s – 1 day, default 60 s), the after cursor and encoding', () => {
    for (const behaviour of [config.DefaultCacheBehavior, byPattern(READ_PATH_PATTERN)]) {
      assert.deepEqual(behaviour.AllowedMethods, ['GET', 'HEAD']);
      const policy = resolve(plain.template, behaviour.CachePolicyId).CachePolicyConfig;
      assert.equal(policy.MinTTL, 0);
      assert.equal(policy.DefaultTTL, 60);
      assert.equal(policy.MaxTTL, 86400);
      const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
      // Only ?after= is in the key: ?x=1, ?x=2, … are one cache entry and never reach the origin.
      assert.deepEqual(key.QueryStringsConfig, { QueryStringBehavior: 'whitelist', QueryStrings: ['after'] });
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
  });

  it('forwards to the origin only the cache key and the viewer-host header on reads', () => {
    for (const behaviour of [config.DefaultCacheBehavior, byPattern(READ_PATH_PATTERN)]) {
      const policy = resolve(plain.template, behaviour.OriginRequestPolicyId).OriginRequestPolicyConfig;
      assert.deepEqual(policy.HeadersConfig, { HeaderBehavior: 'whitelist', Headers: [VIEWER_HOST_HEADER] });
      assert.deepEqual(policy.QueryStringsConfig, { QueryStringBehavior: 'none' });
      assert.deepEqual(policy.CookiesConfig, { CookieBehavior: 'none' });
    }
  });

  it('copies the viewer Host into the header the functions read, on every behaviour (viewer request)', () => {
    assert.equal(VIEWER_HOST_HEADER, FUNCTIONS_HOST_HEADER);
    const functions = Object.entries(plain.template.findResources('AWS::CloudFront::Function'));
    assert.equal(functions.length, 1);
    const [[functionId, fn]] = functions as [[string, Json]];
    assert.equal(fn.Properties.FunctionConfig.Runtime, 'cloudfront-js-2.0');
    assert.equal(fn.Properties.AutoPublish, true);
    for (const behaviour of behaviours) {
      assert.deepEqual(
        behaviour.FunctionAssociations,
        [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }],
        behaviour.PathPattern ?? '*',
      );
    }
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
        "media-src 'self' https:",
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
    const mapping = Object.values(plain.template.toJSON().Mappings)[0] as Record<string, { shield: string }>;
    for (const region of COMMERCIAL_REGIONS) assert.ok(mapping[region], `${region} is in the mapping`);
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

  it('copies no Host (the functions are told the domain), but still refuses at the edge', () => {
    const functions = Object.entries(custom.template.findResources('AWS::CloudFront::Function'));
    assert.equal(functions.length, 1);
    const [[functionId, fn]] = functions as [[string, Json]];
    assert.equal(fn.Properties.FunctionCode, viewerRequestCode(site, { copyHost: false }));
    for (const behaviour of [customConfig.DefaultCacheBehavior, ...customConfig.CacheBehaviors]) {
      assert.deepEqual(behaviour.FunctionAssociations, [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ]);
    }
    assert.equal(customConfig.DefaultCacheBehavior.OriginRequestPolicyId, undefined);
  });

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
    // The functions that serve or link the site; not the subscriber counter, nor aws-cdk-lib's own handlers.
    const descriptions = new Set(FUNCTION_SPECS.map((s) => s.description));
    const functions = Object.values(custom.template.findResources('AWS::Lambda::Function')).filter((fn) =>
      descriptions.has(fn.Properties.Description),
    );
    assert.equal(functions.length, FUNCTION_SPECS.length);
    for (const fn of functions) {
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

const COMMERCIAL_REGIONS = RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name);

describe('Origin Shield region', () => {
  const stackIn = (region: string) => new Stack(new App(), 'Probe', { env: { region } });

  it('resolves for every commercial region the installed aws-cdk-lib knows, to a region that runs it', () => {
    assert.ok(COMMERCIAL_REGIONS.length >= 30, 'region-info lists the commercial regions');
    for (const region of COMMERCIAL_REGIONS) {
      const shield = originShieldRegionFor(stackIn(region));
      assert.ok((ORIGIN_SHIELD_SITES as readonly string[]).includes(shield), `${region} → ${shield}`);
    }
    // The regions the old, partial table missed.
    for (const region of ['ap-southeast-5', 'ap-south-2', 'eu-central-2', 'il-central-1', 'me-central-1']) {
      assert.ok(ORIGIN_SHIELD_REGIONS[region], region);
    }
    assert.equal(originShieldRegionFor(stackIn('ca-west-1')), 'us-west-2');
    assert.equal(originShieldRegionFor(stackIn('mx-central-1')), 'us-east-2');
  });

  it('uses itself where Origin Shield runs', () => {
    for (const site of ORIGIN_SHIELD_SITES) assert.equal(ORIGIN_SHIELD_REGIONS[site], site);
  });

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

  it('must be chosen outside the commercial partition, where CloudFront has no Origin Shield', () => {
    assert.throws(() => originShieldRegionFor(stackIn('us-gov-west-1')), /-c originShieldRegion=/);
  });
});

describe('viewer-request CloudFront Function', () => {
  type Headers = Record<string, { value: string }>;
  const code = viewerRequestCode(site, { copyHost: true });
  const handler = new Function(`${code}\nreturn handler;`)() as (event: {
    request: { method: string; uri: string; querystring: object; headers: Headers };
  }) => { headers: Headers };
  const request = (headers: Headers) => ({ method: 'GET', uri: '/europe/rss.xml', querystring: {}, headers });

  it('is the code the stack deploys, within the 10 KB CloudFront allows', () => {
    const [fn] = Object.values(plain.template.findResources('AWS::CloudFront::Function')) as Json[];
    assert.equal(fn!.Properties.FunctionCode, code);
    assert.ok(Buffer.byteLength(code) <= EDGE_FUNCTION_LIMIT_BYTES, `${Buffer.byteLength(code)} bytes`);
  });

  it('copies Host and replaces any x-newswire-host the viewer sent', () => {
    const passed = handler({
      request: request({
        host: { value: 'd111111abcdef8.cloudfront.net' },
        'x-newswire-host': { value: 'evil.example' },
      }),
    });
    assert.deepEqual(passed.headers['x-newswire-host'], { value: 'd111111abcdef8.cloudfront.net' });
  });

  it('removes the header when there is no Host', () => {
    const passed = handler({ request: request({ 'x-newswire-host': { value: 'evil.example' } }) });
    assert.equal(passed.headers['x-newswire-host'], undefined);
  });
});
