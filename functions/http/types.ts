import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** The API Gateway HTTP API (payload 2.0) event every handler receives. */
export type HttpEvent = APIGatewayProxyEventV2;
/** What every handler returns. */
export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};
/** A Lambda handler for HTTP API events; Lambda passes its context, the local server does not. */
export type HttpHandler = (event: HttpEvent, context?: Context) => Promise<HttpResult>;
