import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  ConflictError,
  ContentTooLargeError,
  StoreUnavailableError,
  TooManyRequestsError,
} from '../../functions/core/errors.ts';
import { errorResponse } from '../../functions/http/response.ts';
import { translateError, translateWriteError } from '../../functions/store/dynamo-article-store.ts';

const meta = { $metadata: {} };

/** An error as @smithy/node-http-handler raises it when a timeout from client.ts fires. */
function timeout(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError' });
}

describe('the store adapter translates SDK failures', () => {
  test('timeouts and lost connections become 503 with Retry-After', () => {
    const failures = [
      timeout('a request has exceeded the configured 1500 ms requestTimeout.'),
      timeout('the request socket did not establish a connection with the server within 1000 ms.'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ];
    for (const failure of failures) {
      const error = translateError(failure);
      assert.ok(error instanceof StoreUnavailableError, failure.message);
      assert.equal(error.cause, failure);
      const reply = errorResponse(error);
      assert.equal(reply.statusCode, 503);
      assert.equal(reply.headers['retry-after'], '5');
      assert.doesNotMatch(reply.body, /ECONN|Timeout|smithy/i, 'no SDK details reach the client');
    }
  });

  test('an item over 400 KB is a permanent 413 for a write, not a 503 a CMS would retry forever', () => {
    const failure = Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
    });
    const error = translateWriteError(failure);
    assert.ok(error instanceof ContentTooLargeError);
    assert.ok(translateError(failure) instanceof StoreUnavailableError, 'reads never write an item');
    const reply = errorResponse(error);
    assert.equal(reply.statusCode, 413);
    assert.equal(reply.headers['retry-after'], undefined);
    assert.match(JSON.parse(reply.body).detail, /400 KB/);
    const cancelled = new TransactionCanceledException({
      ...meta,
      message: 'Transaction cancelled',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' },
      ],
    });
    assert.ok(translateWriteError(cancelled) instanceof ContentTooLargeError);
  });

  test('lost conditions are conflicts and throttling is a 429', () => {
    assert.ok(
      translateError(new ConditionalCheckFailedException({ ...meta, message: 'failed' })) instanceof
        ConflictError,
    );
    const lost = new TransactionCanceledException({
      ...meta,
      message: 'Transaction cancelled',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    assert.ok(translateError(lost) instanceof ConflictError);
    const throttled = new ProvisionedThroughputExceededException({ ...meta, message: 'slow down' });
    assert.ok(translateError(throttled) instanceof TooManyRequestsError);
  });
});
