import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueApiKey } from '../functions/core/api-keys.ts';
import { NewswireError } from '../functions/core/errors.ts';
import type { ArticleStore } from '../functions/core/ports.ts';
import { createDynamoClient } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { ensureTable } from '../functions/store/table.ts';
import { DynamoDbLocalError, startDynamoDbLocal } from './dynamodb-local.ts';
import { parseArticleFile } from './ingest.ts';
import { sampleFeedUrls, startNewswire } from './runtime.ts';

const DATA_DIR = process.env.NEWSWIRE_DATA_DIR ?? '.newswire';

const HELP = {
  main: `Usage: newswire <command> [options]

Commands:
  serve              run Newswire locally (DynamoDB Local + the Lambda handlers over HTTP)
  ingest FILE        publish articles from a JSON array or JSON Lines file through the API
  keys create|list|revoke   manage API keys

Run "newswire <command> --help" for the options of a command.`,
  serve: `Usage: newswire serve [--port N] [--host H] [--in-memory] [--no-seed]

Starts DynamoDB Local (Java 17+), creates the table, seeds the sample newsroom on
first start, creates a dev API key (saved in ${DATA_DIR}/dev-key) and serves the
feeds, pages and write API.

  --port N      port to listen on (default: $PORT or 3000)
  --host H      address to listen on (default 127.0.0.1)
  --in-memory   throwaway data: nothing is kept between runs
  --no-seed     do not write the sample newsroom into a new table

Environment: PORT, DYNAMODB_ENDPOINT (use that DynamoDB instead of starting
DynamoDB Local), TABLE_NAME (default newswire), NEWSWIRE_DATA_DIR (default .newswire).`,
  ingest: `Usage: newswire ingest FILE [--url URL] [--key KEY]

Publishes every article in FILE (a JSON array, or JSON Lines: one article per
line), each with its "id", by PUT /api/articles/{id}. "-" reads standard input.

  --url URL   the Newswire to publish to (default: http://127.0.0.1:$PORT or 3000)
  --key KEY   API key (default: $NEWSWIRE_API_KEY, then ${DATA_DIR}/dev-key)

Exits 1 when any article is rejected; each rejection is printed with its reasons.`,
  keys: `Usage: newswire keys create --name NAME [target]
       newswire keys list [target]
       newswire keys revoke KEY_ID [target]

Keys are stored hashed; "create" prints the key once.

Target (default: the local Newswire in ${DATA_DIR}):
  --table NAME      a deployed table (the stack's TableName output), with your AWS credentials
  --region REGION   its region (default: $AWS_REGION)
  --endpoint URL    any DynamoDB endpoint (e.g. DynamoDB Local), with --table or TABLE_NAME`,
};

function fail(message: string): never {
  process.stderr.write(`newswire: ${message}\n`);
  process.exit(1);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'in-memory': { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(HELP.serve);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`invalid port "${values.port ?? process.env.PORT}"`);
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const newswire = await startNewswire({
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: DATA_DIR,
    inMemory: values['in-memory'] ?? false,
    seed: !values['no-seed'],
    tableName: process.env.TABLE_NAME ?? 'newswire',
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
    log: (line) => console.log(line),
  });
  const endpointFile = join(DATA_DIR, 'endpoint');
  if (!values['in-memory']) writeFileSync(endpointFile, `${newswire.endpoint}\n`);
  console.log(`\nNewswire is running at ${newswire.url}/`);
  console.log(`DynamoDB: ${newswire.endpoint} (table ${newswire.tableName})`);
  console.log(
    `\nDev API key${values['in-memory'] ? '' : ` (saved in ${join(DATA_DIR, 'dev-key')})`}:\n  ${newswire.apiKey}\n`,
  );
  console.log('Feeds:');
  for (const url of sampleFeedUrls(
    newswire.url,
    newswire.deps.config.editions.map((e) => e.id),
  )) {
    console.log(`  ${url}`);
  }
  console.log(
    `\nPublish: curl -X PUT ${newswire.url}/api/articles/my-story -H "Authorization: Bearer $(cat ${join(DATA_DIR, 'dev-key')})" -H "Content-Type: application/json" -d @article.json`,
  );
  console.log('\nPress Ctrl+C to stop.');
  const stop = async () => {
    if (!values['in-memory']) rmSync(endpointFile, { force: true });
    await newswire.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function ingest(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(HELP.ingest);
  const file = positionals[0];
  if (file === undefined) fail('ingest needs a FILE (see newswire ingest --help)');
  const base = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const keyFile = join(DATA_DIR, 'dev-key');
  const key =
    values.key ??
    process.env.NEWSWIRE_API_KEY ??
    (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (key === undefined)
    fail(`no API key: pass --key, set NEWSWIRE_API_KEY, or run "newswire serve" to create ${keyFile}`);
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  const articles = parseArticleFile(text);
  let failed = 0;
  for (const { line, id, article } of articles) {
    if (id === undefined) {
      failed++;
      console.error(`✗ item ${line}: no "id"`);
      continue;
    }
    const response = await fetch(`${base}/api/articles/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(article),
    }).catch((error: Error) => fail(`cannot reach ${base}: ${error.message}`));
    if (response.ok) {
      console.log(`✓ ${id} (${response.status === 201 ? 'created' : 'updated'})`);
    } else {
      failed++;
      const problem = (await response.json().catch(() => ({}))) as {
        detail?: string;
        errors?: { field: string; message: string }[];
      };
      const reasons =
        problem.errors?.map((e) => `${e.field || 'body'} ${e.message}`).join('; ') ?? problem.detail ?? '';
      console.error(`✗ ${id}: ${response.status} ${reasons}`);
    }
  }
  console.log(`${articles.length - failed} published, ${failed} rejected`);
  if (failed > 0) process.exit(1);
}

async function withKeyStore<T>(
  values: { table?: string | undefined; region?: string | undefined; endpoint?: string | undefined },
  action: (store: ArticleStore) => Promise<T>,
): Promise<T> {
  const table = values.table ?? process.env.TABLE_NAME ?? 'newswire';
  if (values.table !== undefined && values.endpoint === undefined) {
    const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (region === undefined) fail('--region (or AWS_REGION) is required with --table');
    return action(new DynamoArticleStore(createDynamoClient({ region }), table));
  }
  const endpointFile = join(DATA_DIR, 'endpoint');
  const endpoint =
    values.endpoint ??
    process.env.DYNAMODB_ENDPOINT ??
    (existsSync(endpointFile) ? readFileSync(endpointFile, 'utf8').trim() : undefined);
  const reachable =
    endpoint !== undefined &&
    (await fetch(endpoint).then(
      () => true,
      () => false,
    ));
  const local = reachable ? undefined : await startDynamoDbLocal(join(DATA_DIR, 'dynamodb'));
  const client = createDynamoClient({ endpoint: reachable ? endpoint : local!.endpoint });
  try {
    await ensureTable(client, table);
    return await action(new DynamoArticleStore(client, table));
  } finally {
    await local?.stop();
  }
}

async function keys(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, keyId] = positionals;
  if (values.help || action === undefined) return void console.log(HELP.keys);
  if (action === 'create') {
    const name = values.name ?? 'cms';
    const issued = issueApiKey(name, new Date());
    await withKeyStore(values, (store) => store.putApiKey(issued.record));
    console.log(
      `Created API key "${name}" (id ${issued.record.keyId}). It is shown only once:\n${issued.token}`,
    );
  } else if (action === 'list') {
    const records = await withKeyStore(values, (store) => store.listApiKeys());
    if (records.length === 0) console.log('No API keys.');
    for (const r of records) {
      console.log(
        `${r.keyId}  ${r.name.padEnd(20)}  created ${r.createdAt}${r.revokedAt ? `  REVOKED ${r.revokedAt}` : ''}`,
      );
    }
  } else if (action === 'revoke') {
    if (keyId === undefined) fail('keys revoke needs a KEY_ID (see newswire keys list)');
    await withKeyStore(values, (store) => store.revokeApiKey(keyId, new Date()));
    console.log(`Revoked ${keyId}.`);
  } else {
    fail(`unknown keys command "${action}" (create, list or revoke)`);
  }
}

/** Runs the `newswire` command line. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') await serve(rest);
    else if (command === 'ingest') await ingest(rest);
    else if (command === 'keys') await keys(rest);
    else if (command === undefined || command === '--help' || command === '-h' || command === 'help')
      console.log(HELP.main);
    else fail(`unknown command "${command}"\n\n${HELP.main}`);
  } catch (error) {
    if (error instanceof DynamoDbLocalError || error instanceof NewswireError) fail(error.message);
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      fail(error.message);
    }
    if (error instanceof Error && error.name === 'ConfigError') fail(error.message);
    throw error;
  }
}

await main(process.argv.slice(2));
