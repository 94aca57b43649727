import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type Route } from '../../functions/http/routes.ts';
import type { FunctionName } from './functions.ts';

/** The routing table (functions/http/routes.ts): the same one the local server and the OpenAPI document use. */
export { ROUTES } from '../../functions/http/routes.ts';

/** A route's methods as API Gateway's HttpMethod values. */
function httpMethods(route: Route): HttpMethod[] {
  return route.methods.map((m) => HttpMethod[m]);
}

/**
 * Throttling of each read route key (`GET /{edition}/rss.xml`, `HEAD /authors/{author}/atom.xml`, …),
 * a bucket of its own: a ceiling on Lambda and DynamoDB spend if the cache is bypassed, and a
 * flood of one kind of miss (made-up writers, say) spends only its own route's tokens.
 */
export const THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/**
 * Throttling of each write route key (those served by `articles`), set per route so that
 * a flood of uncached reads never makes the CMS's writes answer 429. Well above a
 * newsroom's pace (1,000 writes a day is 0.01/s).
 */
export const WRITE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Every `METHOD /path` route key of the API with the throttle of its own bucket. */
export const ROUTE_THROTTLES: ReadonlyMap<string, { rateLimit: number; burstLimit: number }> = new Map(
  ROUTES.flatMap((r) =>
    httpMethods(r).map(
      (m) => [`${m} ${r.path}`, r.target === 'articles' ? WRITE_THROTTLE : THROTTLE] as const,
    ),
  ),
);

/** The `METHOD /path` keys of the routes served by the articles function. */
export const WRITE_ROUTE_KEYS: readonly string[] = ROUTES.filter((r) => r.target === 'articles').flatMap(
  (r) => httpMethods(r).map((m) => `${m} ${r.path}`),
);

/** Inputs of the API construct. */
export interface NewswireApiProps {
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
}

/** The HTTP API (payload v2) in front of the functions, with a throttled stage and JSON access logs. */
export class NewswireApi extends Construct {
  /** The HTTP API. */
  readonly httpApi: HttpApi;
  /** Its `$default` stage. */
  readonly stage: HttpStage;
  /** Where the stage writes one JSON line per request. */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: NewswireApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Newswire: feeds, pages and the write API (reached through CloudFront)',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationStatus: '$context.integrationStatus',
            error: '$context.error.message',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (integration === undefined) {
        // One invoke permission per function for the whole API instead of one per route.
        integration = new HttpLambdaIntegration(`${name}-integration`, props.functions[name], {
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };
    const routes = ROUTES.flatMap((route) =>
      this.httpApi.addRoutes({
        path: route.path,
        methods: httpMethods(route),
        integration: integrationFor(route.target),
      }),
    );

    // HttpStage has no route-level settings; the CloudFormation stage does. Every route key gets
    // its own, so that no two routes share a bucket whatever the stage default means. A route
    // setting names a route key, so the stage must be created after the routes.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      [...ROUTE_THROTTLES].map(([key, throttle]) => [
        key,
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );
    for (const route of routes) this.stage.node.addDependency(route);

    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Feeds, pages and OPML are public by design (any reader or aggregator may fetch them). ' +
        'The write routes under /api/ authenticate in the articles function: it checks the bearer key ' +
        'against the hashed key items in the table and answers 401/403 itself, so an API Gateway ' +
        'authorizer would repeat the same lookup at extra latency and cost.',
    });
  }
}
