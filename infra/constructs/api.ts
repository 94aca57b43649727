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

/** Throttling of every read route: a ceiling on Lambda and DynamoDB spend if the cache is bypassed. */
export const THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/**
 * Throttling of each write route (those served by `articles`), set per route so that
 * a flood of uncached reads, which spends the read routes' tokens, never makes the
 * CMS's writes answer 429. Well above a newsroom's pace (1,000 writes a day is 0.01/s).
 */
export const WRITE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

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

    // HttpStage has no route-level settings; the CloudFormation stage does. A route
    // setting names a route key, so the stage must be created after the routes.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      WRITE_ROUTE_KEYS.map((key) => [
        key,
        { ThrottlingRateLimit: WRITE_THROTTLE.rateLimit, ThrottlingBurstLimit: WRITE_THROTTLE.burstLimit },
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
