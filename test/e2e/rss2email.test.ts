process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { FEED_FILES } from '../../functions/core/urls.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { putJson, startTestServer } from '../support/local-server.ts';

/**
 * rss2email (Debian's `rss2email`, which reads feeds with python3-feedparser)
 * in text mode mails each story's text. It mailed the photo caption instead
 * while captions were `<media:description type="plain">`: feedparser files
 * that as the entry's summary, which text mode prefers. Mail goes to a
 * stand-in for sendmail that writes each message to a folder.
 */

const run = promisify(execFile);
const BODY = 'Regulators in Washington, Ottawa and Brussels opened reviews on Tuesday.';
const CAPTION = 'A technician splices fibre-optic cable at a rural exchange in Jutland.';

let newswire: LocalNewswire;

before(async () => {
  newswire = await startTestServer();
  const response = await putJson(newswire, '/api/articles/r2e-story', {
    headline: 'Lund and Marsh merger faces review',
    summary: 'Competition authorities opened reviews.',
    body: `<p>${BODY}</p>`,
    url: 'https://news.example.com/2026/11/27/technology/r2e-story/',
    section: 'technology',
    editions: ['europe'],
    byline: [{ name: 'Ana Ortiz' }, { name: 'Lee Min' }],
    // A credit that already says what it credits: readers must not see "Photo: Photo: Reuters".
    image: { url: 'https://news.example.com/images/r2e.jpg', caption: CAPTION, credit: 'Photo: Reuters' },
  });
  assert.equal(response.status, 201, await response.text());
});

after(() => newswire?.stop());

/** Runs rss2email once on a feed, text mode, and returns each mail's decoded text part by subject. */
async function mailed(url: string): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'newswire-r2e-'));
  const outbox = join(dir, 'outbox');
  const sendmail = join(dir, 'sendmail');
  writeFileSync(sendmail, `#!/bin/sh\nmkdir -p '${outbox}'\ncat > '${outbox}'/"mail-$$-$(date +%s%N).eml"\n`);
  chmodSync(sendmail, 0o755);
  const config = join(dir, 'rss2email.cfg');
  writeFileSync(
    config,
    `[DEFAULT]\nfrom = newswire@example.com\nto = reader@example.com\nemail-protocol = sendmail\nsendmail = ${sendmail}\nhtml-mail = False\n`,
  );
  const r2e = (...args: string[]) => run('r2e', ['-c', config, '-d', join(dir, 'data.json'), ...args]);
  await r2e('add', 'newswire', url);
  await r2e('run');
  // Each message as Python's email package decodes it: subject, then the text.
  const script = [
    'import email, json, sys, pathlib',
    'out = {}',
    'for path in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):',
    '    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)',
    '    out[str(m["subject"])] = m.get_body(("plain",)).get_content()',
    'print(json.dumps(out))',
  ].join('\n');
  assert.ok(readdirSync(outbox).length > 0, 'rss2email sent mail');
  const { stdout } = await run('/usr/bin/python3', ['-c', `import email.policy\n${script}`, outbox]);
  return new Map(Object.entries(JSON.parse(stdout) as Record<string, string>));
}

describe('rss2email in text mode', () => {
  for (const format of ['rss', 'atom'] as const) {
    test(`mails the story's text from the ${format.toUpperCase()} feed, the caption once, the credit labelled once`, async () => {
      const mails = await mailed(`${newswire.url}/europe/${FEED_FILES[format]}`);
      const text = mails.get('Lund and Marsh merger faces review');
      assert.ok(text !== undefined, `a mail for the story among ${[...mails.keys()].join(' | ')}`);
      const flat = text.replace(/\s+/g, ' ');
      assert.ok(flat.includes(BODY), `the story's text: ${flat}`);
      assert.equal(flat.split(CAPTION).length - 1, 1, `the caption once: ${flat}`);
      assert.ok(flat.includes('Photo: Reuters') && !flat.includes('Photo: Photo:'), flat);
      assert.ok(flat.includes('Ana Ortiz') && flat.includes('Lee Min'), 'both writers');
    });
  }
});
