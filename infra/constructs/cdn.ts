import { Aws, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SiteConfig } from '../../functions/core/config.ts';
import { ORIGIN_KEY_HEADER } from '../../functions/http/origin.ts';
import { VIEWER_HOST_HEADER } from '../../functions/http/site.ts';
import { viewerRequestCode } from '../edge/gate.ts';

/** Content-Security-Policy for server-rendered pages whose only script is the copy button's. */
// Images and videos may come from any HTTPS host (article photos and videos).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  // Videos on a story's page, from the CMS's video host.
  "media-src 'self' https:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The header CloudFront adds with the viewer's country; the `/` page uses it to suggest an edition. */
export const VIEWER_COUNTRY_HEADER = 'CloudFront-Viewer-Country';

/** The request header the viewer-request function sets to the viewer's Host (functions/http/site.ts reads it). */
export { VIEWER_HOST_HEADER };

/** The only query string parameter Newswire reads (`?after=` paging cursors); all others are dropped. */
const CACHE_KEY_QUERY_STRINGS = ['after'] as const;

/** Path pattern of every read path except `/` itself (`?` needs at least one character after the slash). */
export const READ_PATH_PATTERN = '/?*';

/** Key prefix of CloudFront's standard log files in the access-log bucket. */
export const ACCESS_LOG_PREFIX = 'cloudfront/';

/** Path pattern of subscribers' private feeds: never cached, so no reader ever gets another's copy. */
export const PRIVATE_PATH_PATTERN = '/private/*';

/** Path pattern of the write API. */
export const API_PATH_PATTERN = '/api/*';

/** Inputs of the CDN construct. */
export interface NewswireCdnProps {
  readonly httpApi: HttpApi;
  /** The site's config: the viewer-request function is made from its editions and sections. */
  readonly config: SiteConfig;
  /** The key CloudFront sends the origin in ORIGIN_KEY_HEADER (a dynamic reference). */
  readonly originKey: string;
  readonly originShieldRegion: string;
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly webAclArn?: string;
  readonly accessLogs: boolean;
  /**
   * Where access logs go when the stack's region cannot take them (an opt-in region: CloudFront delivers
   * standard logs to no bucket there); otherwise the CDN makes its own bucket in the stack's region.
   */
  readonly accessLogBucket?: IBucket;
}

// Four behaviours, matched in order:
//
// | pattern      | viewer     | cache                                   | methods   | to origin                       |
// |--------------|------------|-----------------------------------------|-----------|---------------------------------|
// | `/api/*`     | HTTPS only | disabled                                | all       | every viewer header except Host |
// | `/private/*` | HTTPS only | disabled                                | GET, HEAD | every viewer header except Host |
// | `/?*`        | → HTTPS    | origin Cache-Control, `after`, encoding | GET, HEAD | cache key (+ x-newswire-host)   |
// | `*`          | → HTTPS    | same, plus CloudFront-Viewer-Country    | GET, HEAD | cache key (+ x-newswire-host)   |
//
// `/api/*` refuses plain HTTP (403) instead of redirecting it: a client that sent its
// bearer key over HTTP has already leaked it, and a redirect would hide the mistake; so does
// `/private/*`, whose path holds a subscriber's token. `/private/*` comes before `/?*`, which
// would otherwise match it and cache each private feed under its path: with caching disabled
// there, CloudFront keeps no copy of a subscriber's feed, every request reaches the private
// function (which checks the token every time: a revoked token is refused at the edge from
// its next request), and it forwards the User-Agent the tokens' listing counts clients by.
// Without a custom domain, a viewer-request function on every behaviour copies the
// viewer's Host into x-newswire-host (not in the cache key: every viewer of a
// distribution asks for the same host), which the functions use for their links.
//
// CloudFront has no pattern for `/` alone, and the default behaviour `*` cannot be given
// one. `/?*` needs at least one character after the first slash, so it takes every path
// but `/`, leaving the default behaviour to serve exactly the home page: only `/` is
// cached per viewer country and sees CloudFront-Viewer-Country; feeds never do.

/** The CloudFront distribution in front of the HTTP API: HTTPS, compression, caching, security headers. */
export class NewswireCdn extends Construct {
  /** The distribution. */
  readonly distribution: Distribution;
  /** The public site URL: `https://<domainName>` or `https://<id>.cloudfront.net`. */
  readonly siteUrl: string;
  /** Where CloudFront's standard logs go (accessLogs=true), under ACCESS_LOG_PREFIX, when the bucket is this stack's. */
  readonly logBucket?: IBucket;

  constructor(scope: Construct, id: string, props: NewswireCdnProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // https://<api-id>.execute-api.<region>.amazonaws.com → host name only.
    const apiHost = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const origin = new HttpOrigin(apiHost, {
      // Proof that a request came through this distribution: the functions refuse any without it.
      customHeaders: { [ORIGIN_KEY_HEADER]: props.originKey },
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      originShieldEnabled: true,
      originShieldRegion: props.originShieldRegion,
    });

    const cacheSettings = {
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(60),
      maxTtl: Duration.days(1),
      // Only `?after=` paging cursors: `?x=1`, `?x=2`, … share one entry and never reach the origin.
      queryStringBehavior: CacheQueryStringBehavior.allowList(...CACHE_KEY_QUERY_STRINGS),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    };
    // CloudFront policies and functions are global: each name carries the stack and its region, so two
    // regions (or two stacks) of one account never claim the same name.
    const named = (what: string) => `${stack.stackName}-${what}-${Aws.REGION}`;
    const readCache = new CachePolicy(this, 'ReadCache', {
      cachePolicyName: named('read-cache'),
      comment: 'Newswire feeds and pages: honour the origin Cache-Control, key on query string',
      headerBehavior: CacheHeaderBehavior.none(),
      ...cacheSettings,
    });
    const homeCache = new CachePolicy(this, 'HomeCache', {
      cachePolicyName: named('home-cache'),
      comment: 'Newswire home page: as ReadCache, plus one copy per viewer country',
      headerBehavior: CacheHeaderBehavior.allowList(VIEWER_COUNTRY_HEADER),
      ...cacheSettings,
    });

    const securityHeaders: ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: false,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
    };
    const readHeaders = new ResponseHeadersPolicy(this, 'ReadHeaders', {
      responseHeadersPolicyName: named('read-headers'),
      comment:
        'Newswire feeds and pages: security headers, and CORS so browser-based readers can fetch feeds',
      securityHeadersBehavior: securityHeaders,
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlExposeHeaders: ['ETag', 'Last-Modified', 'Link'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: false,
      },
    });
    const apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      responseHeadersPolicyName: named('api-headers'),
      comment: 'Newswire write API: security headers, no CORS (CMSs call it server to server)',
      securityHeadersBehavior: securityHeaders,
    });

    const custom =
      props.domainName !== undefined && props.certificateArn !== undefined
        ? { domainName: props.domainName, certificateArn: props.certificateArn }
        : undefined;
    // With a custom domain the functions know the address (NEWSWIRE_BASE_URL); without one
    // they learn it per request from the viewer's Host, which no CloudFront setting can
    // pass on its own (the origin needs Host to be the API's): the viewer-request function
    // copies it, and the read origin request policy forwards it.
    const copyHost = custom === undefined;
    const gate = new EdgeFunction(this, 'ViewerRequest', {
      functionName: named('viewer-request'),
      comment: copyHost
        ? `Newswire: refuses at the edge what the origin would refuse unread; copies Host into ${VIEWER_HOST_HEADER}`
        : 'Newswire: refuses at the edge what the origin would refuse unread',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(viewerRequestCode(props.config, { copyHost })),
    });
    const viewerRequest = {
      functionAssociations: [{ function: gate, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    const readOriginRequest = copyHost
      ? new OriginRequestPolicy(this, 'ReadOriginRequest', {
          originRequestPolicyName: named('read-origin'),
          comment: `Newswire feeds and pages: the cache key plus ${VIEWER_HOST_HEADER}`,
          headerBehavior: OriginRequestHeaderBehavior.allowList(VIEWER_HOST_HEADER),
          queryStringBehavior: OriginRequestQueryStringBehavior.none(),
        })
      : undefined;

    const read: Omit<BehaviorOptions, 'cachePolicy'> = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      compress: true,
      responseHeadersPolicy: readHeaders,
      ...viewerRequest,
      ...(readOriginRequest !== undefined && { originRequestPolicy: readOriginRequest }),
    };
    const logBucket = props.accessLogs ? (props.accessLogBucket ?? createLogBucket(this)) : undefined;
    // The stack's own bucket only: one in us-east-1 (an opt-in region's) can notify no queue of this region.
    if (logBucket !== undefined && props.accessLogBucket === undefined) this.logBucket = logBucket;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Newswire feeds, pages and write API (stack ${stack.stackName})`,
      defaultBehavior: { ...read, cachePolicy: homeCache },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // With caching disabled this also forwards Authorization (Bearer keys), and x-newswire-host.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          ...viewerRequest,
          compress: true,
          responseHeadersPolicy: apiHeaders,
        },
        // Caching disabled (see the table above): no copy to share, no cache key to mix subscribers.
        [PRIVATE_PATH_PATTERN]: {
          ...read,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Forwards User-Agent (which client fetched: the tokens' listing counts them) and no cookie reaches a cache.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
        [READ_PATH_PATTERN]: { ...read, cachePolicy: readCache },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableIpv6: true,
      ...(custom !== undefined && {
        domainNames: [custom.domainName],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', custom.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        sslSupportMethod: SSLMethod.SNI,
      }),
      ...(props.webAclArn !== undefined && { webAclId: props.webAclArn }),
      ...(logBucket !== undefined && { enableLogging: true, logBucket, logFilePrefix: ACCESS_LOG_PREFIX }),
    });
    this.siteUrl = custom
      ? `https://${custom.domainName}`
      : `https://${this.distribution.distributionDomainName}`;

    const acknowledge = (ruleId: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id: ruleId, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'Feeds are read worldwide and editions are a choice, not a restriction: DESIGN.md forbids geo-blocking or ' +
        'geo-redirecting feed URLs because aggregators fetch them from their own servers.',
    );
    if (props.webAclArn === undefined) {
      acknowledge(
        'AwsSolutions-CFR2',
        'No WAF by default (a web ACL costs $5+/month before requests): reads are cached at the edge, the API stage is ' +
          'throttled and the write API requires bearer keys. Attach one with -c webAclArn=<CLOUDFRONT-scope web ACL>.',
      );
    }
    if (logBucket === undefined) {
      acknowledge(
        'AwsSolutions-CFR3',
        'CloudFront access logs are opt-in (-c accessLogs=true): they record every reader IP address (personal data) ' +
          'and cost S3 storage; operations rely on CloudFront metrics and the API stage access logs instead.',
      );
    }
    if (custom === undefined) {
      acknowledge(
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose security policy ' +
          'CloudFront fixes at TLSv1. Deploying with -c domainName=... -c certificateArn=... enforces TLSv1.2_2021.',
      );
    }
  }
}

/** An S3 bucket for CloudFront standard logs (they need ACLs), kept 90 days. */
export function createLogBucket(scope: Construct): IBucket {
  const bucket = new Bucket(scope, 'AccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'This bucket only receives CloudFront access logs; logging access to the log bucket into another ' +
      'bucket would only move the same question one bucket further.',
  });
  // aws-cdk-lib declares Bucket.isWebsite as `boolean | undefined` but IBucket.isWebsite as
  // `boolean`, which exactOptionalPropertyTypes rejects; the object is an IBucket at runtime.
  return bucket as unknown as IBucket;
}
