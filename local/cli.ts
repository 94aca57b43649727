import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueApiKey, keyIdOfToken } from '../functions/core/api-keys.ts';
import { NewswireError } from '../functions/core/errors.ts';
import {
  CliError,
  type CliOption,
  cannotRead,
  didYouMean,
  networkReason,
  parseCommandLine,
  seeHelp,
  someOf,
  usageError,
} from './cli-error.ts';
import { ingestArticles, parseArticleFile } from './ingest.ts';
import { PortUnavailableError } from './port.ts';
import {
  apiTarget,
  dataDirectory,
  devKeyOf,
  findRunningServer,
  removeServerRecord,
  serverRecordPath,
  shownPath,
  writeServerRecord,
} from './server-record.ts';

const DATA_DIR = dataDirectory();
/** How the data folder's files are named in help and messages. */
const RECORD = shownPath(serverRecordPath(DATA_DIR));
const DEV_KEY = shownPath(join(DATA_DIR, 'dev-key'));

/** A file shipped with Newswire, as a path from where the command runs. */
function shipped(path: string): string {
  return relative(process.cwd(), fileURLToPath(new URL(`../${path}`, import.meta.url)));
}

/** The version in package.json. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const TARGET_HELP = `Target (default: the running local Newswire, from ${RECORD}):
  --table NAME      a deployed table (the stack's TableName output), with your AWS credentials
  --region REGION   its region (default: $AWS_REGION)
  --endpoint URL    any DynamoDB endpoint (e.g. DynamoDB Local), with --table (default newswire)`;

const HELP = {
  main: `Usage: newswire <command> [options]

Commands:
  serve              run Newswire locally (DynamoDB Local + the Lambda handlers over HTTP)
  env                print export lines for the running server's URL and dev key (for curl)
  ingest FILE        publish articles from a JSON array or JSON Lines file through the API
  import FILE|URL    publish the items of an existing RSS, Atom or JSON feed through the API
  keys create|list|revoke   manage API keys
  reindex            rebuild every feed entry from the stored articles (after a config change)
  stats              daily subscriber estimates per feed, with a sparkline and top readers
  subscribers add|list|revoke   subscribers' private-feed tokens (premium stories in full)

Options: --help (-h) shows this, --version (-v) the version.
Run "newswire <command> --help" for the options of a command. Every command works from
any folder of the repository: it finds the running server through ${RECORD}.
Exit codes: 0 done, 1 failed (the reason is printed on one line), 2 wrong usage.`,
  serve: `Usage: newswire serve [--port N] [--host H] [--in-memory] [--no-seed]
       (with npm: npm start -- --port 8080, or PORT=8080 npm start)

Starts DynamoDB Local (Java 17+), creates the table, seeds the sample newsroom on
first start, creates a dev API key (saved in ${DEV_KEY}) and serves the
feeds, pages and write API. While it runs, ${RECORD} records where
it listens, so "env", "ingest", "import", "keys" and "reindex" find it.

  --port N      port to listen on (default: $PORT or 3000; 0 = any free port)
  --host H      address to listen on (default 127.0.0.1)
  --in-memory   throwaway data: nothing is kept between runs
  --no-seed     do not write the sample newsroom into a new table

Environment: PORT, DYNAMODB_ENDPOINT (use that DynamoDB instead of starting
DynamoDB Local), TABLE_NAME (default newswire), NEWSWIRE_DATA_DIR (default .newswire;
a relative one is taken from the repository's root),
LOG_LEVEL (debug, info, warn, error, silent; default info).`,
  env: `Usage: newswire env

Prints the running local server's address and dev API key as shell export lines:

  export NEWSWIRE_URL='http://127.0.0.1:3000'
  export NEWSWIRE_API_KEY='nw_…'

so that, after eval "$(npx newswire env)", commands such as
  curl "$NEWSWIRE_URL/europe/rss.xml"
  curl -X PUT "$NEWSWIRE_URL/api/articles/my-story" -H "Authorization: Bearer $NEWSWIRE_API_KEY" …
work whatever PORT and NEWSWIRE_DATA_DIR the server was started with. The CLI's own
commands read NEWSWIRE_API_KEY too. The server is found through ${RECORD}.`,
  ingest: `Usage: newswire ingest FILE [--url URL] [--key KEY]

Publishes every article in FILE (a JSON array, or JSON Lines: one article per
line), each with its "id", by PUT /api/articles/{id}, showing n/total. "-" reads
standard input. An article Newswire already holds with the same content is left
alone (no new version); a changed one is written conditionally on the version
read, as "import" does. A line that is not valid JSON, or an article the API
refuses, is reported with its line number and skipped; the rest is still published.

  --url URL   the Newswire to publish to (default: the running local server,
              from ${RECORD})
  --key KEY   API key (default: $NEWSWIRE_API_KEY, then the local server's dev key)

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
                   from ${RECORD})
  --key KEY        API key (default: $NEWSWIRE_API_KEY, then the local server's dev key)

Exits 1 when any item was not imported (each is printed with its reasons and
the rest are still imported), or at once when the feed cannot be read or the
server cannot be reached or refuses the key.`,
  keys: `Usage: newswire keys create --name NAME [target]
       newswire keys list [target]
       newswire keys revoke KEY_ID|KEY [target]

Keys are stored hashed. "create" prints the new key alone on standard output,
once (KEY=$(npx newswire keys create --name cms) keeps it). "list" prints each
key's id, name and dates, never a key. "revoke" takes the key's id (as "list"
shows it) or the whole key, and confirms with the id and name, never the key.
Each command says on standard error which table it uses. "newswire keys" alone
prints this help on standard error and exits 2.

${TARGET_HELP}`,
  reindex: `Usage: newswire reindex [--restart] [target]

Rebuilds every feed entry from the stored articles under newswire.config.ts as
it is now: each article's entries in its editions, sections, writers' and
topics' feeds are written again, and entries no article calls for are removed.
No article gets a new version or a new updatedAt. Run it after changing the
editions or sections in the config, or to give articles stored before writer
and topic feeds existed their entries. Safe while the site is serving.

Resumable: progress is saved after every step in ${shownPath(DATA_DIR)}/reindex-<table>.json;
run the command again to continue where it stopped, or pass --restart.

${TARGET_HELP}`,
};

/** The commands, for "did you mean". */
const COMMANDS = [
  'serve',
  'env',
  'ingest',
  'import',
  'keys',
  'reindex',
  'stats',
  'subscribers',
  'help',
] as const;
const KEY_ACTIONS = ['create', 'list', 'revoke'] as const;

const KEY_ID = /^[0-9a-f]{16}$/;

const help: CliOption = { type: 'boolean', short: 'h' };
const target = {
  table: { type: 'string', value: 'NAME' },
  region: { type: 'string', value: 'REGION' },
  endpoint: { type: 'string', value: 'URL' },
} as const satisfies Record<string, CliOption>;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function inform(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A shell word that survives any characters: '…' with each ' closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The export line that gives a terminal the server's address and key (what "newswire env" prints). */
function exportLine(url: string, key: string | undefined): string {
  return `export NEWSWIRE_URL=${shellQuote(url)}${key === undefined ? '' : ` NEWSWIRE_API_KEY=${shellQuote(key)}`}`;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseCommandLine('serve', args, {
    port: { type: 'string', value: 'N' },
    host: { type: 'string', value: 'H' },
    'in-memory': { type: 'boolean' },
    'no-seed': { type: 'boolean' },
    help,
  });
  if (values.help) return say(HELP.serve);
  const given = values.port ?? process.env.PORT ?? '3000';
  const port = Number(given);
  if (!/^\d+$/.test(given) || port > 65535) {
    throw usageError(`invalid port "${given}": use a number from 0 to 65535, e.g. npm start -- --port 8080`);
  }
  const { logLevel } = await import('../functions/http/log.ts');
  try {
    logLevel();
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const running = existsSync(serverRecordPath(DATA_DIR))
    ? safely(() => findRunningServer(DATA_DIR))
    : undefined;
  if (running !== undefined) {
    throw new CliError(
      `Newswire is already running at ${running.url} (pid ${running.pid}) with the data in ${shownPath(DATA_DIR)}; stop it first, or use another NEWSWIRE_DATA_DIR`,
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
    // With no data folder there is no dev-key file: "env", "ingest" and "import" find the key here.
    ...(inMemory && { devKey: newswire.apiKey }),
  });
  process.once('exit', () => removeServerRecord(DATA_DIR));
  say(`\nNewswire is running at ${newswire.url}/`);
  say(`DynamoDB: ${newswire.endpoint} (table ${newswire.tableName})`);
  say(`\nDev API key${inMemory ? '' : ` (saved in ${DEV_KEY})`}:\n  ${newswire.apiKey}\n`);
  say('Feeds:');
  for (const url of sampleFeedUrls(
    newswire.url,
    newswire.deps.config.editions.map((e) => e.id),
  )) {
    say(`  ${url}`);
  }
  say(`  API reference: ${newswire.url}/api/`);
  say('\nIn another terminal, this sets the URL and key the commands below use');
  say('(or run eval "$(npx newswire env)" from any folder of this repository):');
  say(`  ${exportLine(newswire.url, newswire.apiKey)}`);
  say(`\nPublish the example article (${shipped('examples/article.json')}):`);
  say(
    `  curl -fsS -X PUT "$NEWSWIRE_URL/api/articles/my-story" -H "Authorization: Bearer $NEWSWIRE_API_KEY" -H "Content-Type: application/json" -d @${shipped('examples/article.json')}`,
  );
  say(`Import a batch: npx newswire ingest ${shipped('examples/articles.jsonl')}`);
  say('\nOne line per request follows (LOG_LEVEL=warn for quiet). Press Ctrl+C to stop.');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`\nStopping Newswire (${signal})…`);
    removeServerRecord(DATA_DIR);
    await newswire.stop();
    say(
      inMemory
        ? 'Newswire stopped; its in-memory data is gone.'
        : `Newswire stopped; its data is kept in ${shownPath(DATA_DIR)} for the next "npm start".`,
    );
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

function env(args: string[]): void {
  const { values } = parseCommandLine('env', args, { help });
  if (values.help) {
    say(HELP.env);
    return;
  }
  const server = findRunningServer(DATA_DIR);
  if (server === undefined) {
    throw new CliError(`no local Newswire is running (no ${RECORD}); start one with "npm start"`);
  }
  const key = devKeyOf(DATA_DIR, server);
  say(`export NEWSWIRE_URL=${shellQuote(server.url)}`);
  if (key !== undefined) say(`export NEWSWIRE_API_KEY=${shellQuote(key)}`);
  else
    inform(`newswire: no dev API key in ${DEV_KEY}; create one with "npx newswire keys create --name dev"`);
}

async function ingest(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(
    'ingest',
    args,
    { url: { type: 'string', value: 'URL' }, key: { type: 'string', value: 'KEY' }, help },
    true,
  );
  if (values.help) return say(HELP.ingest);
  const [file, extra] = positionals;
  if (file === undefined)
    throw usageError(
      `ingest needs a FILE, e.g. newswire ingest examples/articles.jsonl; ${seeHelp('ingest')}`,
    );
  if (extra !== undefined) throw usageError(`ingest takes one FILE.${seeHelp('ingest')}`);
  const name = file === '-' ? 'standard input' : file;
  const parsed = parseArticleFile(readInput(file), name);
  const target = apiTarget(values, DATA_DIR);
  const total = parsed.items.length + parsed.problems.length;
  say(`Publishing ${parsed.items.length} of ${total} entries from ${name} to ${target.url}`);
  const config = (await import('../newswire.config.ts')).default;
  const summary = await ingestArticles(parsed, { target, config, out: process.stdout });
  const published = summary.created + summary.updated;
  say(
    `${published} published (${summary.created} created, ${summary.updated} updated), ${summary.unchanged} unchanged, ${summary.rejected.length} rejected`,
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
    'keys',
    args,
    { name: { type: 'string', value: 'NAME' }, ...target, help },
    true,
  );
  const [action, argument, extra] = positionals;
  if (values.help) return say(HELP.keys);
  if (action === undefined) {
    // Nothing asked: the help, as a usage error (a script's empty variable should not pass silently).
    inform(HELP.keys);
    throw new CliError('keys needs a command: create, list or revoke (see above)', 2);
  }
  if (!(KEY_ACTIONS as readonly string[]).includes(action)) {
    throw usageError(
      `unknown keys command "${action}" (create, list or revoke)${didYouMean(action, KEY_ACTIONS)}${seeHelp('keys')}`,
    );
  }
  if ((action === 'revoke' ? extra : argument) !== undefined) {
    throw usageError(
      `keys ${action} takes no argument "${action === 'revoke' ? extra : argument}"; ${seeHelp('keys')}`,
    );
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
  const { values } = parseCommandLine('reindex', args, { restart: { type: 'boolean' }, ...target, help });
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
    const network = networkReason(error);
    if (network !== undefined) {
      return `${error.message} (${network}); check that DynamoDB is up (for the local one, that "npm start" still runs), then run the command again`;
    }
    const cause =
      error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message.split('\n')[0]})` : '';
    return `${error.message}${cause}`;
  }
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    return 'the port was taken while Newswire was starting; choose another with "npm start -- --port 8080"';
  }
  const network = networkReason(error);
  if (network !== undefined) {
    return `a connection failed (${network}); check that the local Newswire (npm start) or the address you named is up, then try again`;
  }
  return undefined;
}

/** Runs the `newswire` command line; returns the exit code, printing failures as one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') await serve(rest);
    else if (command === 'env') env(rest);
    else if (command === 'ingest') await ingest(rest);
    else if (command === 'import') await importFeed(rest);
    else if (command === 'keys') await keys(rest);
    else if (command === 'reindex') await reindexCommand(rest);
    else if (command === 'stats')
      await (await import('./stats-command.ts')).runStats(rest, { dataDir: DATA_DIR, say });
    else if (command === 'subscribers')
      await (await import('./subscribers-command.ts')).runSubscribers(rest, { dataDir: DATA_DIR, say });
    else if (command === '--version' || command === '-v') say(`newswire ${version()}`);
    else if (command === '--help' || command === '-h') say(HELP.main);
    else if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined) say(HELP.main);
      else if (Object.hasOwn(HELP, topic)) say(HELP[topic as keyof typeof HELP]);
      else if (topic === 'stats') await main(['stats', '--help']);
      else if (topic === 'subscribers') await main(['subscribers', '--help']);
      else throw usageError(`no help for "${topic}"${didYouMean(topic, COMMANDS)}${seeHelp('')}`);
    } else if (command === undefined) {
      inform(HELP.main);
      return 2;
    } else if (command.startsWith('-')) {
      throw usageError(
        `unknown option "${command}"${didYouMean(command, ['--help', '--version'])}${seeHelp('')}`,
      );
    } else {
      throw usageError(`unknown command "${command}"${didYouMean(command, COMMANDS)}${seeHelp('')}`);
    }
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
