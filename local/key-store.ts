import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { ArticleStore } from '../functions/core/ports.ts';
import { createDynamoClient } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { CliError, networkReason, usageError } from './cli-error.ts';
import { findRunningServer, serverRecordPath, shownPath } from './server-record.ts';

/** Which table the key commands should use, as given on the command line. */
export interface KeyStoreTarget {
  table?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
}

/** An opened key store and the words that tell the user which one it is. */
export interface KeyStore {
  store: ArticleStore;
  /** E.g. `table "newswire" at http://127.0.0.1:41234 (the local Newswire, .newswire/server.json)`. */
  description: string;
}

/** Where a target's table is: its name, its endpoint or region, and how to name it to the user. */
export interface KeyStoreLocation {
  table: string;
  endpoint?: string;
  region?: string;
  description: string;
  /** What to do when its endpoint cannot be reached. */
  ifUnreachable: string;
}

/**
 * The table the key and reindex commands work on: --endpoint/--table, a
 * deployed --table in --region, the running local server's, or
 * DYNAMODB_ENDPOINT's. A CliError when there is none to use.
 */
export function locateKeyStore(target: KeyStoreTarget, dataDir: string): KeyStoreLocation {
  if (target.endpoint !== undefined) {
    const table = target.table ?? process.env.TABLE_NAME ?? 'newswire';
    return {
      table,
      endpoint: target.endpoint,
      description: `table "${table}" at ${target.endpoint}`,
      ifUnreachable: `check --endpoint, and that DynamoDB (Local) is running at ${target.endpoint}`,
    };
  }
  if (target.table !== undefined) {
    const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (region === undefined)
      throw usageError('--table needs --region REGION (or AWS_REGION) for a deployed table');
    return {
      table: target.table,
      region,
      description: `table "${target.table}" in ${region} (AWS)`,
      ifUnreachable: `check your network connection and --region ${region}`,
    };
  }
  const server = findRunningServer(dataDir);
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (server === undefined && endpoint !== undefined && endpoint !== '') {
    const table = process.env.TABLE_NAME || 'newswire';
    return {
      table,
      endpoint,
      description: `table "${table}" at ${endpoint} (DYNAMODB_ENDPOINT)`,
      ifUnreachable: `check DYNAMODB_ENDPOINT, and that DynamoDB (Local) is running at ${endpoint}`,
    };
  }
  if (server === undefined) {
    throw new CliError(
      `no local Newswire is running (no ${shownPath(serverRecordPath(dataDir))}); start one with "npm start", or name a table: --table NAME --region REGION (deployed) or --endpoint URL --table NAME`,
    );
  }
  return {
    table: server.tableName,
    endpoint: server.dynamodbEndpoint,
    description: `table "${server.tableName}" at ${server.dynamodbEndpoint} (the local Newswire at ${server.url})`,
    ifUnreachable: 'is "npm start" still running? Start it again, or name a table with --endpoint or --table',
  };
}

/** Opens a located table, checking that it exists. Never starts a DynamoDB of its own, never creates a table. */
export async function openKeyStore(found: KeyStoreLocation): Promise<KeyStore> {
  const client = createDynamoClient({
    ...(found.endpoint !== undefined && { endpoint: found.endpoint }),
    ...(found.region !== undefined && { region: found.region }),
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: found.table }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new CliError(`there is no ${found.description}`);
    }
    const network = networkReason(error);
    if (network !== undefined) {
      const where = found.endpoint ?? `DynamoDB in ${found.region}`;
      throw new CliError(`cannot reach ${where} (${network}); ${found.ifUnreachable}`, 1, { cause: error });
    }
    if (error instanceof Error && error.name === 'CredentialsProviderError') {
      throw new CliError(
        `no AWS credentials were found for the ${found.description}: run "aws configure" or "aws sso login" (or set AWS_PROFILE), then try again`,
        1,
        { cause: error },
      );
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    throw new CliError(`cannot read ${found.description}: ${reason}`, 1, { cause: error });
  }
  return { store: new DynamoArticleStore(client, found.table), description: found.description };
}
