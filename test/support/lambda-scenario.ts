/**
 * Invokes the Lambda entry points as Lambda does — `handler(event, context)`,
 * configured by environment variables only — for the request-log tests, which
 * read what this process prints. Environment: TABLE_NAME, DYNAMODB_ENDPOINT,
 * SCENARIO_TOKEN (a valid API key), SCENARIO_ID (the article to write),
 * SCENARIO_OUT (file for the responses' statuses).
 */
import { writeFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { handler as articles } from '../../functions/articles.ts';
import { handler as feeds } from '../../functions/feeds.ts';
import type { HttpEvent, HttpHandler } from '../../functions/http/types.ts';
import { handler as pages } from '../../functions/pages.ts';
import { useLocalLogFormat } from '../../local/log-format.ts';
import { sampleArticle } from './articles.ts';
import { httpEvent } from './events.ts';

// The local server's readable lines are the local runtime's to give (Lambda prints JSON): as it does.
if (process.env.NEWSWIRE_LOG_FORMAT === 'text') useLocalLogFormat();

const env = (name: string) => process.env[name] ?? '';
const token = env('SCENARIO_TOKEN');
const id = env('SCENARIO_ID');
let invocation = 0;

function context(functionName: string): Context {
  invocation++;
  return {
    awsRequestId: `lambda-request-${invocation}`,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function event(
  method: string,
  path: string,
  options: Parameters<typeof httpEvent>[2],
  routeKey: string,
): HttpEvent {
  const base = httpEvent(method, path, options);
  return {
    ...base,
    routeKey,
    requestContext: { ...base.requestContext, requestId: `api-${invocation + 1}`, routeKey },
  };
}

const statuses: number[] = [];
async function call(handler: HttpHandler, name: string, e: HttpEvent) {
  const result = await handler(e, context(name));
  statuses.push(result.statusCode);
  return result;
}

const feed = 'GET /{edition}/{proxy+}';
const published = new Date(Date.now() - 60_000).toISOString();

/** PUT /api/articles/{id} with a key and a body, as the CMS sends it. */
function put(key: string, body: unknown) {
  const e = event(
    'PUT',
    `/api/articles/${id}`,
    { headers: { authorization: `Bearer ${key}` }, body },
    'ANY /api/articles/{id}',
  );
  return call(articles, 'articles', e);
}

await put(
  token,
  sampleArticle({ editions: ['europe'], publishedAt: published, body: '<p>SECRET-BODY-TEXT</p>' }),
);
const first = await call(feeds, 'feeds', event('GET', '/europe/rss.xml', {}, feed));
const etag = first.headers.etag ?? '';
await call(feeds, 'feeds', event('GET', '/europe/rss.xml', { headers: { 'if-none-match': etag } }, feed));
await put('nw_0123456789abcdef_UNKNOWNSECRETUNKNOWNSECRETUNKNOWNSECRET12345', sampleArticle());
await put(token, '{"headline": BAD-BODY-TEXT}');
await call(pages, 'pages', event('GET', '/europe/', {}, '$default'));
writeFileSync(env('SCENARIO_OUT'), JSON.stringify(statuses));
