/**
 * DynamoDB Local, as `npm start` and the tests start it, is reachable from
 * this machine only: it listens on 127.0.0.1, not on the machine's other
 * addresses (it takes any credentials, so anyone who could reach it could read
 * embargoed stories and write an API key). The run's DynamoDB Local is the one
 * test/run.ts started with startDynamoDbLocal.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, test } from 'node:test';

describe('DynamoDB Local', () => {
  const endpoint = new URL(process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:0');
  const dynamoPort = Number(endpoint.port);

  test('listens on 127.0.0.1 only: the machine’s other addresses refuse connections', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80'));
    const reach = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port: dynamoPort, timeout: 3000 });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
    assert.equal(await reach('127.0.0.1'), 'connected');
    for (const address of others) {
      assert.notEqual(await reach(address!.address), 'connected', `reachable at ${address!.address}`);
    }
    // Whatever interfaces this machine has: the kernel's table of listening sockets names 127.0.0.1 alone.
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (fields) => fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === dynamoPort,
      )
      .map((fields) => fields[1]?.split(':')[0]);
    // 127.0.0.1 is 0100007F in /proc/net/tcp, and ::ffff:127.0.0.1 (how Java binds it on a dual-stack
    // socket) 0000000000000000FFFF00000100007F in /proc/net/tcp6.
    assert.ok(listening.length > 0, 'DynamoDB Local is listening');
    for (const address of listening) {
      assert.match(address ?? '', /^(0000000000000000FFFF0000)?0100007F$/, `bound to ${address}`);
    }
  });
});
