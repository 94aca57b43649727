/**
 * The local server against clients that misbehave: `//` paths answered 4xx; bodies refused before they are read; slow headers
 * and slow bodies cut off with a 408 within the stated time; and a fuzzer of
 * raw HTTP requests through the server's sockets that never gets a 5xx.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LocalNewswire } from '../../local/runtime.ts';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../local/server.ts';
import { startTestServer } from '../support/local-server.ts';

let newswire: LocalNewswire;
let port: number;

before(async () => {
  newswire = await startTestServer();
  port = Number(new URL(newswire.url).port);
});
after(() => newswire?.stop());

interface RawReply {
  /** The status of the first response, 0 when the server closed without one. */
  status: number;
  text: string;
  /** Milliseconds from connecting to the connection's close. */
  ms: number;
  /** Bytes of body the client had sent when the reply came. */
  sentBody: number;
}

/**
 * Sends raw bytes (a request head, then optionally a body trickled by `feed`) and
 * reads until the server closes the connection.
 */
function raw(
  head: Buffer | string,
  feed?: (socket: Socket, sent: (bytes: number) => void) => void,
  host = '127.0.0.1',
  to = port,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(to, host);
    const started = Date.now();
    let text = '';
    let sentBody = 0;
    let atReply: number | undefined;
    socket.setTimeout(60_000, () => socket.destroy(new Error('no answer in 60 s')));
    socket.on('data', (chunk) => {
      atReply ??= sentBody;
      text += chunk.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, ms: Date.now() - started, sentBody: atReply ?? sentBody });
    });
    socket.on('connect', () => {
      socket.write(head);
      feed?.(socket, (bytes) => {
        sentBody += bytes;
      });
    });
  });
}

/** Writes `total` bytes of body a little at a time, as long as the connection stays open. */
function trickle(total: number, every = 200, chunk = 1) {
  return (socket: Socket, sent: (bytes: number) => void) => {
    let written = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || written >= total) return clearInterval(timer);
      socket.write('x'.repeat(chunk), () => {});
      written += chunk;
      sent(chunk);
    }, every);
    socket.on('close', () => clearInterval(timer));
  };
}

describe('the local server', () => {
  test('paths starting with // (and other empty segments) are a 4xx, never a 500', async () => {
    for (const path of [
      '//',
      '//europe/rss.xml',
      '///',
      '//api/articles/x',
      '/europe//rss.xml',
      '//a//b//',
    ]) {
      const reply = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok(reply.status >= 400 && reply.status < 500, `${path}: ${reply.status}`);
    }
  });

  test('a body is refused before it is read when the route, method, key or declared size rules it out', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    const key = `Bearer ${newswire.apiKey}`;
    const cases: [string, string, number][] = [
      ['PUT /api/articles/x', 'Authorization: Bearer nw_0000000000000000_nope\r\n', 401],
      ['PUT /api/articles/x', '', 401],
      ['PUT /europe/rss.xml', '', 405],
      ['POST /', '', 405],
      ['PUT /api/no-such-thing', `Authorization: ${key}\r\n`, 404],
      ['POST /api/articles/x', `Authorization: ${key}\r\n`, 405],
      ['PUT /api/articles/x', `Authorization: ${key}\r\n`, 413],
    ];
    for (const [line, headers, status] of cases) {
      const reply = await raw(
        `${line} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}Content-Length: ${tenMegabytes}\r\n\r\n`,
        trickle(tenMegabytes, 50, 64 * 1024),
      );
      assert.equal(reply.status, status, `${line}: ${reply.text.slice(0, 200)}`);
      assert.ok(reply.sentBody < 1024 * 1024, `${line}: answered after ${reply.sentBody} bytes of body`);
    }
    // A client that asks first (Expect: 100-continue, as curl does for large bodies) never sends the body.
    const asked = await raw(
      `PUT /api/articles/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${tenMegabytes}\r\nExpect: 100-continue\r\n\r\n`,
    );
    assert.equal(asked.status, 401, asked.text.slice(0, 200));
  });

  test(`slow headers and slow bodies are cut off with a 408 within ${HEADERS_TIMEOUT_MS / 1000} and ${REQUEST_TIMEOUT_MS / 1000} s`, async () => {
    const [headers, body] = await Promise.all([
      raw('GET / HTTP/1.1\r\nHost: x\r\n', (socket) => {
        const timer = setInterval(() => socket.write('X-Slow: yes\r\n', () => {}), 500);
        socket.on('close', () => clearInterval(timer));
      }),
      raw(
        `PUT /api/articles/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${newswire.apiKey}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
        trickle(100_000, 500),
      ),
    ]);
    assert.equal(headers.status, 408);
    assert.ok(headers.ms < HEADERS_TIMEOUT_MS + 2500, `slow headers cut after ${headers.ms} ms`);
    assert.equal(body.status, 408);
    assert.ok(body.ms < REQUEST_TIMEOUT_MS + 2500, `slow body cut after ${body.ms} ms`);
    assert.equal(await newswire.deps.store.getArticle('slow'), undefined, 'nothing was written');
  });

  test('a fuzzer of raw HTTP requests through the server’s sockets never gets a 5xx', async () => {
    const method = fc.oneof(
      fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'OPTIONS', 'PATCH', 'TRACE', 'BREW'),
      fc.stringMatching(/^[A-Z]{1,12}$/),
    );
    const segment = fc.oneof(
      fc.constantFrom(
        '',
        '.',
        '..',
        '%',
        '%zz',
        '%00',
        '%2F',
        '%C3%28',
        'europe',
        'api',
        'articles',
        'rss.xml',
      ),
      fc.constantFrom('top', 'authors', 'topics', 'feed.json', 'atom.xml', 'opml.xml', 'assets', 'problems'),
      fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,12}$/),
      fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const target = fc.oneof(
      fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
      fc.constantFrom('//', '///', '//europe/rss.xml', '*', 'http://evil.example/europe/rss.xml', '/?after='),
      fc
        .tuple(fc.array(segment, { maxLength: 3 }), fc.string({ maxLength: 40 }))
        .map(([parts, query]) => `/${parts.join('/')}?after=${encodeURIComponent(query)}&x=%zz`),
      fc.constant(`/${'a'.repeat(20_000)}`),
    );
    const headerValue = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')),
      fc
        .uint8Array({ maxLength: 30 })
        .map((b) => Buffer.from(b.filter((x) => x !== 10 && x !== 13)).toString('latin1')),
      fc.constantFrom(
        '*',
        '"v1"',
        'W/"v1"',
        'gzip;q=abc',
        'br, gzip',
        'identity;q=0',
        'Thu, 01 Jan 1970 00:00:00 GMT',
      ),
      fc.constant('x'.repeat(20_000)),
    );
    const header = fc.tuple(
      fc.constantFrom(
        'Accept-Encoding',
        'If-None-Match',
        'If-Modified-Since',
        'If-Match',
        'Authorization',
        'Content-Type',
        'Content-Length',
        'Transfer-Encoding',
        'X-Newswire-Host',
        'CloudFront-Viewer-Country',
        'Expect',
        'X-Junk',
      ),
      headerValue,
    );
    const request = fc.record({
      method,
      target,
      headers: fc.array(header, { maxLength: 6 }),
      body: fc.oneof(
        fc.constant(''),
        fc.json({ maxDepth: 2 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/1.1', 'HTTP/2.0'),
    });
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers = r.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
        const head = Buffer.from(
          `${r.method} ${r.target} ${r.version}\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`,
          'latin1',
        );
        const reply = await raw(Buffer.concat([head, Buffer.from(r.body, 'latin1')]));
        seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
        assert.ok(reply.status < 500, `${r.method} ${r.target.slice(0, 80)} → ${reply.text.slice(0, 300)}`);
      }),
      {
        numRuns: 400,
        // Two plain requests first, so the harness is known to reach a feed (200) and a
        // missing page (404) whatever the random draw brings: a run of 400 drawn requests
        // can happen to be all refusals (400, 405, 431…), which says nothing about the harness.
        examples: [
          [{ method: 'GET', target: '/europe/rss.xml', headers: [], body: '', version: 'HTTP/1.1' }],
          [{ method: 'GET', target: '/no-such-page/', headers: [], body: '', version: 'HTTP/1.1' }],
        ],
      },
    );
    // The server still serves after all that.
    const health = await fetch(`${newswire.url}/europe/rss.xml`);
    assert.equal(health.status, 200);
    assert.ok((seen.get(200) ?? 0) > 0 && (seen.get(404) ?? 0) > 0, JSON.stringify([...seen]));
  });
});
