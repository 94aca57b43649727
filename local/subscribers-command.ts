import {
  type CreatedSubscriber,
  SHARED_CLIENTS,
  type SubscriberView,
} from '../functions/core/subscriber-tokens.ts';
import { FEED_FILES } from '../functions/core/urls.ts';
import { type Problem, REQUEST_TIMEOUT_MS, reasons, unreachable } from './api-client.ts';
import { CliError, didYouMean, parseCommandLine, seeHelp, usageError } from './cli-error.ts';
import { apiTarget, serverRecordPath } from './server-record.ts';

/** What `newswire subscribers` does. */
const ACTIONS = ['add', 'list', 'revoke'] as const;

/** The help of `newswire subscribers`. */
export function subscribersHelp(dataDir: string): string {
  return `Usage: newswire subscribers add NAME | list | revoke ID  [--url URL] [--key KEY]

Subscribers' private feeds: a token names a private copy of every feed, in
which premium stories carry their full text (docs/premium.md).

  add NAME     makes a token for NAME (who it is for, e.g. a customer number)
               and prints it with the subscriber's private feed URLs; the
               token is shown this once (Newswire keeps only its hash)
  list         every token: name, id, made, last fetch, distinct clients
               today (UTC), and a flag when more than ${SHARED_CLIENTS} clients used
               it today (the address has probably been passed around)
  revoke ID    revokes the token with this id: its feeds answer 404 from the
               next request

  --url URL    the Newswire to ask (default: the running local server, from
               ${serverRecordPath(dataDir)}); a deployed one: its SiteUrl
  --key KEY    API key (default: $NEWSWIRE_API_KEY, then the dev key)`;
}

async function ask(
  target: { url: string; key: string; local: boolean },
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.key}`,
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(target.url, error, target.local);
  }
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      // not problem+json: the status says enough
    }
    throw new CliError(
      `${target.url} answered ${response.status}: ${reasons(problem) || response.statusText}`,
    );
  }
  return text === '' ? undefined : JSON.parse(text);
}

/** The listing as a table: one line per token. */
export function formatSubscribers(subscribers: readonly SubscriberView[]): string {
  if (subscribers.length === 0) return 'No subscribers yet: "newswire subscribers add NAME" makes a token.';
  const rows = subscribers.map((s) => [
    s.subscriberId,
    s.status,
    s.createdAt.slice(0, 16).replace('T', ' '),
    s.lastFetchAt === undefined ? 'never' : s.lastFetchAt.slice(0, 16).replace('T', ' '),
    `${s.clientsToday}${s.probablyShared ? '  probably shared' : ''}`,
    s.name,
  ]);
  const header = ['id', 'status', 'made (UTC)', 'last fetch (UTC)', 'clients today', 'name'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `newswire subscribers add|list|revoke`: subscribers' private-feed tokens, through the API. */
export async function runSubscribers(
  args: string[],
  options: { dataDir: string; say: (line: string) => void },
): Promise<void> {
  const { values, positionals } = parseCommandLine(
    'subscribers',
    args,
    {
      url: { type: 'string', value: 'URL' },
      key: { type: 'string', value: 'KEY' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return options.say(subscribersHelp(options.dataDir));
  const [action, ...rest] = positionals;
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    throw usageError(
      action === undefined
        ? `"newswire subscribers" needs add, list or revoke.${seeHelp('subscribers')}`
        : `unknown action "${action}"${didYouMean(action, ACTIONS)}${seeHelp('subscribers')}`,
    );
  }
  const expected = action === 'list' ? 0 : 1;
  if (rest.length !== expected) {
    throw usageError(
      action === 'list'
        ? `"newswire subscribers list" takes no argument "${rest[0]}".${seeHelp('subscribers')}`
        : `"newswire subscribers ${action}" takes one ${action === 'add' ? 'NAME (quote it if it has spaces)' : 'ID'}.${seeHelp('subscribers')}`,
    );
  }
  const target = apiTarget(values, options.dataDir);
  if (action === 'list') {
    const { subscribers } = (await ask(target, 'GET', '/api/subscribers')) as {
      subscribers: SubscriberView[];
    };
    return options.say(formatSubscribers(subscribers));
  }
  if (action === 'revoke') {
    await ask(target, 'DELETE', `/api/subscribers/${encodeURIComponent(rest[0]!)}`);
    return options.say(`Revoked ${rest[0]}: its private feeds answer 404 from the next request.`);
  }
  const created = (await ask(target, 'POST', '/api/subscribers', { name: rest[0] })) as CreatedSubscriber;
  const base = `${target.url}/private/${created.token}`;
  options.say(
    [
      `Made a token for ${created.name} (id ${created.subscriberId}). It is shown this once:`,
      '',
      `  ${created.token}`,
      '',
      'Their private feeds are every feed path under it, for example:',
      `  ${base}/international/${FEED_FILES.rss}`,
      `  ${base}/europe/world/${FEED_FILES.atom}`,
      `  ${base}/authors/{writer}/${FEED_FILES.json}`,
    ].join('\n'),
  );
}
