import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FieldProblem, MAX_PROBLEMS, ValidationError } from '../../functions/core/errors.ts';
import { errorResponse } from '../../functions/http/response.ts';

function problems(count: number, field = (i: number) => `editions.${i}`): FieldProblem[] {
  return Array.from({ length: count }, (_, i) => ({
    field: field(i),
    message: 'must be one of europe, asia',
  }));
}

describe('error responses stay small', () => {
  test('a 400 lists every problem when there are at most 50', () => {
    const body = JSON.parse(errorResponse(new ValidationError(problems(MAX_PROBLEMS))).body);
    assert.equal(body.errors.length, 50);
    assert.equal(body.errorsOmitted, undefined);
    assert.equal(body.detail, '50 problems found');
  });

  test('a 400 with 125,000 problems lists the first 50 and counts the rest, in a few kilobytes', () => {
    const reply = errorResponse(new ValidationError(problems(125_000)));
    assert.equal(reply.statusCode, 400);
    assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
    const body = JSON.parse(reply.body);
    assert.deepEqual(
      body.errors.map((e: FieldProblem) => e.field),
      Array.from({ length: 50 }, (_, i) => `editions.${i}`),
    );
    assert.equal(body.errorsOmitted, 124_950);
    assert.equal(body.detail, '125000 problems found; the first 50 are listed');
    assert.ok(Buffer.byteLength(reply.body) < 10_000, `${Buffer.byteLength(reply.body)} bytes`);
  });

  test('a field name the client made up is clipped, not echoed whole', () => {
    const long = 'x'.repeat(100_000);
    const reply = errorResponse(new ValidationError(problems(60, () => long)));
    const body = JSON.parse(reply.body);
    assert.equal(body.errors[0].field.length, 200);
    assert.ok(body.errors[0].field.endsWith('…'));
    assert.ok(Buffer.byteLength(reply.body) < 20_000, `${Buffer.byteLength(reply.body)} bytes`);
  });
});
