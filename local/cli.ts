import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueApiKey, keyIdOfToken } from '../functions/core/api-keys.ts';
import { NewswireError } from '../functions/core/errors.ts';
import { CliError, cannotRead, parseCommandLine, someOf, usageError } from './cli-error.ts';
import { ingestArticles, parseArticleFile } from './ingest.ts';
import { PortUnavailableError } from './port.ts';
import {
  apiTarget,
  findRunningServer,
  removeServerRecord,
  serverRecordPath,
  writeServerRecord,
} from './server-record.ts';

const DATA_DIR = process.env.NEWSWIRE_DATA_DIR || '.newswire';

/** A file shipped with Newswire, as a path from where the command runs. */
function shipped(path: string): string {
  return relative(process.cwd(), fileURLToPath(new URL(`../${path}`, import.meta.url)));
}

const HELP = {
  main: `Usage: newswire <command> [options]

Commands:
  serve              run Newswire locally (DynamoDB Local + the Lambda handlers over HTTP)
  ingest FILE        publish articles from a JSON array or JSON Lines file through the API
  import FILE|URL    publish the items of an existing RSS, Atom or JSON feed through the API
  keys create|list|revoke   manage API keys
  reindex            rebuild every feed entry from the stored articles (after a config change)
  stats              daily subscriber estimates per feed, with a sparkline and top readers

Run "newswire <command> --help" for the options of a command.
Exit codes: 0 done, 1 failed (the reason is printed on one line), 2 wrong usage.`,
  serve: `Usage: newswire serve [--port N] [--host H] [--in-memory] [--no-seed]
       (with npm: npm start -- --port 8080, or PORT=8080 npm start)

Starts DynamoDB Local (Java 17+), creates the table, seeds the sample newsroom on
first start, creates a dev API key (saved in ${join(DATA_DIR, 'dev-key')}) and serves the
feeds, pages and write API. While it runs, ${serverRecordPath(DATA_DIR)} records where
it listens, so "ingest" and "keys" find it.

  --port N      port to listen on (default: $PORT or 3000; 0 = any free port)
  --host H      address to listen on (default 127.0.0.1)
  --in-memory   throwaway data: nothing is kept between runs
  --no-seed     do not write the sample newsroom into a new table

Environment: PORT, DYNAMODB_ENDPOINT (use that DynamoDB instead of starting
DynamoDB Local), TABLE_NAME (default newswire), NEWSWIRE_DATA_DIR (default .newswire),
LOG_LEVEL (debug, info, warn, error, silent; default info).`,
  ingest: `Usage: newswire ingest FILE [--url URL] [--key KEY]

Publishes every article in FILE (a JSON array, or JSON Lines: one article per
line), each with its "id", by PUT /api/articles/{id}, showing n/total. "-" reads
standard input. A line that is not valid JSON, or an article the API refuses,
is reported with its line number and skipped; the rest is still published.

  --url URL   the Newswire to publish to (default: the running local server,
              from ${serverRecordPath(DATA_DIR)})
  --key KEY   API key (default: $NEWSWIRE_API_KEY, then ${join(DATA_DIR, 'dev-key')})

Exits 1 when any entry was not published, or at once when the server cannot be
reached or refuses the key.`,
  import: `Usage: newswire import FILE|URL [--section S] [--editions a,b] [--dry-run] [--url URL] [--key KEY]

Reads an RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed (1.0, 1.1) file, or fetches one
from an http(s) URL ("-" reads standard input), and publishes each item as an
article by PUT /api/articles/{id}, showing n/total. The id comes from the item's
guid, so the same item always becomes the same article: importing again updates
what changed and leaves identical articles alone (no new version). Articles
withdrawn in Newswire are left alone.

  --section S      every item's section (default: the section a category names,
                   else the first section)
  --editions a,b   every item's editions (default: every edition)
  --dry-run        print what would be created, updated or left alone; write nothing
  --url URL        the Newswire to publish to (default: the running local server,
                   from ${serverRecordPath(DATA_DIR)})
  --key KEY        API key (default: $NEWSWIRE_API_KEY, then ${join(DATA_DIR, 'dev-key')})

Exits 1 when any item was not imported (each is printed with its reasons and
the rest are still imported), or at once when the feed cannot be read or the
server cannot be reached or refuses the key.`,
  keys: `Usage: newswire keys create --name NAME [target]
       newswire keys list [target]
       newswire keys revoke KEY_ID|KEY [target]

Keys are stored hashed. "create" prints the new key alone on standard output,
once (KEY=$(npx newswire keys create --name cms) keeps it). "revoke" takes the
key's id (as "list" shows it) or the whole key, and never prints the key.
Each command says on standard error which table it uses.

Target (default: the running local Newswire, from ${serverRecordPath(DATA_DIR)}):
  --table NAME      a deployed table (the stack's TableName output), with your AWS credentials
  --region REGION   its region (default: $AWS_REGION)
  --endpoint URL    any DynamoDB endpoint (e.g. DynamoDB Local), with --table (default newswire)`,
  reindex: `Usage: newswire reindex [--restart] [target]

Rebuilds every feed entry from the stored articles under newswire.config.ts as
it is now: each article's entries in its editions, sections, writers' and
topics' feeds are written again, and entries no article calls for are removed.
No article gets a new version or a new updatedAt. Run it after changing the
editions or sections in the config, or to give articles stored before writer
and topic feeds existed their entries. Safe while the site is serving.

Resumable: progress is saved after every step in ${DATA_DIR}/reindex-<table>.json;
run the command again to continue where it stopped, or pass --restart.

Target (default: the running local Newswire, from ${serverRecordPath(DATA_DIR)}):
  --table NAME      a deployed table (the stack's TableName output), with your AWS credentials
  --region REGION   its region (default: $AWS_REGION)
  --endpoint URL    any DynamoDB endpoint (e.g. DynamoDB Local), with --table (default newswire)`,
};

const KEY_ID = /^[0-9a-f]{16}$/;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function inform(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseCommandLine(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'in-memory': { type: 'boolean' },
    'no-seed': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return say(HELP.serve);
  const given = values.port ?? process.env.PORT ?? '3000';
  const port = Number(given);
  if (!/^\d+$/.test(given) || port > 65535) {
    throw usageError(`invalid port "${given}": use a number from 0 to 65535, e.g. npm start -- --port 8080`);
  }
  const running = existsSync(serverRecordPath(DATA_DIR))
    ? safely(() => findRunningServer(DATA_DIR))
    : undefined;
  if (running !== undefined) {
    throw new CliError(
      `Newswire is already running at ${running.url} (pid ${running.pid}) with the data in ${DATA_DIR}; stop it first, or use another NEWSWIRE_DATA_DIR`,
    );
  }
  // Loaded here, not at the top: --help and usage errors should answer at once.
  const { sampleFeedUrls, startNewswire } = await import('./runtime.ts');
  const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const inMemory = values['in-memory'] ?? false;
  const newswire = await startNewswire({
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: DATA_DIR,
    inMemory,
    seed: !values['no-seed'],
    tableName: process.env.TABLE_NAME || 'newswire',
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
    log: (line) => say(line),
  });
  mkdirSync(DATA_DIR, { recursive: true });
  writeServerRecord(DATA_DIR, {
    url: newswire.url,
    dynamodbEndpoint: newswire.endpoint,
    tableName: newswire.tableName,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  process.once('exit', () => removeServerRecord(DATA_DIR));
  const keyFile = join(DATA_DIR, 'dev-key');
  const bearer = inMemory ? newswire.apiKey : `$(cat ${keyFile})`;
  say(`\nNewswire is running at ${newswire.url}/`);
  say(`DynamoDB: ${newswire.endpoint} (table ${newswire.tableName})`);
  say(`\nDev API key${inMemory ? '' : ` (saved in ${keyFile})`}:\n  ${newswire.apiKey}\n`);
  say('Feeds:');
  for (const url of sampleFeedUrls(
    newswire.url,
    newswire.deps.config.editions.map((e) => e.id),
  )) {
    say(`  ${url}`);
  }
  say(`\nPublish the example article (${shipped('examples/article.json')}):`);
  say(
    `  curl -X PUT ${newswire.url}/api/articles/my-story -H "Authorization: Bearer ${bearer}" -H "Content-Type: application/json" -d @${shipped('examples/article.json')}`,
  );
  say(`Import a batch: npx newswire ingest ${shipped('examples/articles.jsonl')}`);
  say('\nOne line per request follows (LOG_LEVEL=warn for quiet). Press Ctrl+C to stop.');
  const stop = async () => {
    removeServerRecord(DATA_DIR);
    await newswire.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw cannotRead(file, error);
  }
}

async function ingest(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(
    args,
    { url: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) return say(HELP.ingest);
  const [file, extra] = positionals;
  if (file === undefined)
    throw usageError('ingest needs a FILE, e.g. newswire ingest examples/articles.jsonl');
  if (extra !== undefined) throw usageError('ingest takes one FILE');
  const name = file === '-' ? 'standard input' : file;
  const parsed = parseArticleFile(readInput(file), name);
  const { url, key } = apiTarget(values, DATA_DIR);
  const total = parsed.items.length + parsed.problems.length;
  say(`Publishing ${parsed.items.length} of ${total} entries from ${name} to ${url}`);
  const summary = await ingestArticles(parsed, { url, key, out: process.stdout });
  const published = summary.created + summary.updated;
  say(
    `${published} published (${summary.created} created, ${summary.updated} updated), ${summary.rejected.length} rejected`,
  );
  if (summary.rejected.length > 0) {
    const where = someOf(summary.rejected.map((r) => r.where));
    throw new CliError(`${summary.rejected.length} of ${total} entries were not published (${where})`);
  }
}

async function importFeed(args: string[]): Promise<void> {
  // Loaded here, not at the top: feedsmith and the validator serve this command only.
  const { runImport } = await import('./import.ts');
  await runImport(args, { dataDir: DATA_DIR, help: HELP.import });
}

/** The key id in a `keys revoke` argument: an id, or a whole key (whose secret is never printed). */
function keyIdOf(argument: string | undefined): string {
  const id = argument === undefined ? undefined : KEY_ID.test(argument) ? argument : keyIdOfToken(argument);
  if (id === undefined) {
    throw usageError(
      'keys revoke needs a key id (16 hexadecimal characters, as "newswire keys list" shows) or the whole key (nw_…)',
    );
  }
  return id;
}

async function keys(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(
    args,
    {
      name: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  const [action, argument] = positionals;
  if (values.help || action === undefined) return say(HELP.keys);
  if (!['create', 'list', 'revoke'].includes(action)) {
    throw usageError(`unknown keys command "${action}" (create, list or revoke)`);
  }
  if (action === 'create' && (values.name === undefined || values.name.trim() === '')) {
    throw usageError('keys create needs --name NAME: who will use the key, e.g. --name cms');
  }
  const keyId = action === 'revoke' ? keyIdOf(argument) : undefined;
  const { locateKeyStore, openKeyStore } = await import('./key-store.ts');
  const { store, description } = await openKeyStore(locateKeyStore(values, DATA_DIR));
  inform(`Using ${description}.`);
  if (action === 'create') {
    const name = (values.name ?? '').trim();
    const issued = issueApiKey(name, new Date());
    await store.putApiKey(issued.record);
    inform(
      `Created API key "${name}" (id ${issued.record.keyId}). It is shown only once, below; keep it secret:`,
    );
    say(issued.token);
  } else if (action === 'list') {
    const records = await store.listApiKeys();
    if (records.length === 0) say('No API keys in this table.');
    for (const r of records) {
      say(
        `${r.keyId}  ${r.name.padEnd(20)}  created ${r.createdAt}${r.revokedAt ? `  REVOKED ${r.revokedAt}` : ''}`,
      );
    }
  } else if (keyId !== undefined) {
    const record = await store.getApiKey(keyId);
    if (record === undefined) throw new CliError(`no API key with id ${keyId} in this table`);
    await store.revokeApiKey(keyId, new Date());
    say(`Revoked API key ${keyId} ("${record.name}").`);
  }
}

async function reindexCommand(args: string[]): Promise<void> {
  const { values } = parseCommandLine(args, {
    restart: { type: 'boolean' },
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return say(HELP.reindex);
  const [{ locateKeyStore, openKeyStore }, { readReindexState, runReindex }] = await Promise.all([
    import('./key-store.ts'),
    import('./reindex-command.ts'),
  ]);
  // The saved state is checked before anything is opened, so a bad one is one clear line.
  const location = locateKeyStore(values, DATA_DIR);
  const statePath = join(DATA_DIR, `reindex-${location.table.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  const saved = values.restart ? undefined : readReindexState(statePath);
  const { store, description } = await openKeyStore(location);
  inform(`Using ${description}.`);
  await runReindex(store, { statePath, saved, out: process.stderr, say });
}

/** One line for an error that is not a CliError, or undefined when it is unexpected. */
function expectedMessage(error: unknown): string | undefined {
  if (error instanceof CliError || error instanceof PortUnavailableError) return error.message;
  // By name: their modules load only with the commands that use them.
  if (error instanceof Error && ['DynamoDbLocalError', 'ConfigError'].includes(error.name))
    return error.message;
  if (error instanceof NewswireError) {
    const cause =
      error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message.split('\n')[0]})` : '';
    return `${error.message}${cause}`;
  }
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    return 'the port was taken while Newswire was starting; choose another with "npm start -- --port 8080"';
  }
  return undefined;
}

/** Runs the `newswire` command line; returns the exit code, printing failures as one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') await serve(rest);
    else if (command === 'ingest') await ingest(rest);
    else if (command === 'import') await importFeed(rest);
    else if (command === 'keys') await keys(rest);
    else if (command === 'reindex') await reindexCommand(rest);
    else if (command === 'stats')
      await (await import('./stats-command.ts')).runStats(rest, { dataDir: DATA_DIR, say });
    else if (command === undefined || command === '--help' || command === '-h' || command === 'help')
      say(HELP.main);
    else
      throw usageError(
        `unknown command "${command}" (serve, ingest, import, keys, reindex or stats; see newswire --help)`,
      );
    return 0;
  } catch (error) {
    const message = expectedMessage(error);
    if (message !== undefined) {
      inform(`newswire: ${message}`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    if (process.env.NEWSWIRE_DEBUG) throw error;
    const what = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    inform(`newswire: unexpected error: ${what} (NEWSWIRE_DEBUG=1 shows where it happened)`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
