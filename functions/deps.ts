import config from '../newswire.config.ts';
import type { ArticleServiceDeps } from './core/articles.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { log } from './http/log.ts';
import { createDynamoClient } from './store/client.ts';
import { DynamoArticleStore } from './store/dynamo-article-store.ts';

let cached: ArticleServiceDeps | undefined;

/**
 * The production wiring: the site config, the DynamoDB store named by
 * TABLE_NAME (DYNAMODB_ENDPOINT for DynamoDB Local) and the wall clock.
 * Built on first use so the environment is read once, after start-up.
 */
export function defaultDeps(): ArticleServiceDeps {
  if (cached === undefined) {
    const endpoint = optionalEnv('DYNAMODB_ENDPOINT');
    const region = optionalEnv('AWS_REGION');
    const client = createDynamoClient({
      ...(endpoint !== undefined && { endpoint }),
      ...(region !== undefined && { region }),
    });
    cached = {
      config,
      store: new DynamoArticleStore(client, requireEnv('TABLE_NAME'), (message, context) =>
        log('warn', message, context),
      ),
      clock: () => new Date(),
    };
  }
  return cached;
}
