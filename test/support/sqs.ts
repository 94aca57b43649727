import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message SendMessageBatch delivered to the stand-in. */
export interface SentMessage {
  MessageBody: string;
  MessageGroupId: string;
  MessageDeduplicationId: string;
}

/** A loopback listener answering SQS's SendMessageBatch (AWS JSON 1.0), recording what was sent. */
export interface SqsStandIn {
  url: string;
  messages: SentMessage[];
  close(): Promise<void>;
}

/**
 * Stands in for SQS where the bundled notify function queues its pings
 * (pointed at it with AWS_ENDPOINT_URL_SQS): it accepts every entry and
 * answers with the MD5 of each body, which the SDK checks.
 */
export async function startSqsStandIn(): Promise<SqsStandIn> {
  const messages: SentMessage[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSQS.SendMessageBatch') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(
          JSON.stringify({ __type: 'InvalidAction', message: `not supported: ${String(target)}` }),
        );
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Entries: (SentMessage & { Id: string })[];
      };
      const successful = input.Entries.map((entry) => {
        messages.push({
          MessageBody: entry.MessageBody,
          MessageGroupId: entry.MessageGroupId,
          MessageDeduplicationId: entry.MessageDeduplicationId,
        });
        return {
          Id: entry.Id,
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
          SequenceNumber: String(messages.length),
        };
      });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ Successful: successful, Failed: [] }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
