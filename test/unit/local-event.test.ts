import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { ValidationError } from '../../functions/core/errors.ts';
import { jsonBody } from '../../functions/http/request.ts';
import { toHttpEvent } from '../../local/event.ts';

/** The parts of a Node request the local server reads. */
function request(contentType: string): IncomingMessage {
  return {
    url: '/api/articles/x',
    method: 'PUT',
    httpVersion: '1.1',
    headers: { 'content-type': contentType, host: '127.0.0.1:3000' },
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
}

describe('the local server passes request bodies to the handlers unchanged', () => {
  test('valid UTF-8 JSON arrives as text', () => {
    const body = Buffer.from('{"headline":"Zürich — 東京"}', 'utf8');
    const event = toHttpEvent(request('application/json'), body, 'ANY /api/articles/{id}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.body, '{"headline":"Zürich — 東京"}');
    assert.deepEqual(jsonBody(event), { headline: 'Zürich — 東京' });
  });

  test('JSON with bytes that are not UTF-8 arrives base64-encoded and is refused with a 400 naming it', () => {
    for (const bad of [
      [0xff],
      [0xc3, 0x28],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ]) {
      const body = Buffer.concat([Buffer.from('{"headline":"caf'), Buffer.from(bad), Buffer.from('"}')]);
      const event = toHttpEvent(request('application/json; charset=utf-8'), body, 'ANY /api/articles/{id}');
      assert.equal(event.isBase64Encoded, true);
      assert.deepEqual(Buffer.from(event.body ?? '', 'base64'), body, 'the bytes are unchanged');
      assert.throws(
        () => jsonBody(event),
        (error: unknown) =>
          error instanceof ValidationError && error.problems[0]?.message === 'the body is not valid UTF-8',
      );
    }
  });
});
