import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** The API Gateway HTTP API (payload 2.0) event every handler receives. */
export type HttpEvent = APIGatewayProxyEventV2;
/** What every handler returns. */
export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};
/** What a function decides from a request's head (method, path, headers) before its body is read. */
export type Admission =
  /** Refused (a 404, 405, 401, 413, …): the reply to send, and the body is never read. */
  | { reply: HttpResult }
  /**
   * Admitted: the function reads at most this many bytes of body (0: it takes none), and `answer`
   * answers the request, body and all, without checking its head again.
   */
  | { bodyLimit: number; answer: (event: HttpEvent) => Promise<HttpResult> };

/**
 * A Lambda handler for HTTP API events; Lambda passes its context, the local
 * server does not. `admit` answers from the head alone what the handler would
 * answer before reading the body, so a server can refuse a request (or not
 * read a body the function ignores) without reading it; the handler makes the
 * same checks first itself.
 */
export type HttpHandler = ((event: HttpEvent, context?: Context) => Promise<HttpResult>) & {
  admit?: (head: HttpEvent) => Promise<Admission>;
};
