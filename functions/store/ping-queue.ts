import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { PingQueue, QueuedPing } from '../core/websub.ts';
import { STORE_TIMEOUTS } from './client.ts';

/** Messages in one SendMessageBatch (SQS's limit). */
const MESSAGES_PER_SEND = 10;

/** Raised when SQS refused some messages of a batch; the stream batch or sweep is then retried whole. */
export class QueueSendError extends Error {
  override name = 'QueueSendError';
}

/**
 * The notifier's queue on SQS: a FIFO queue whose delay holds every ping
 * until cached feeds have expired (infra/constructs/websub.ts). Each message
 * carries its feed's group and a deduplication id, so sending the same
 * messages again (a retried stream batch) queues nothing twice.
 */
export function createSqsPingQueue(queueUrl: string, client = new SQSClient(sqsOptions())): PingQueue {
  return {
    async send(messages: readonly QueuedPing[]): Promise<void> {
      for (let at = 0; at < messages.length; at += MESSAGES_PER_SEND) {
        const chunk = messages.slice(at, at + MESSAGES_PER_SEND);
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((message, i) => ({
              Id: String(i),
              MessageBody: message.body,
              MessageGroupId: message.groupId,
              MessageDeduplicationId: message.deduplicationId,
            })),
          }),
        );
        if (Failed.length > 0) {
          throw new QueueSendError(
            `SQS refused ${Failed.length} of ${chunk.length} pings (${Failed[0]?.Code ?? 'unknown'}: ${Failed[0]?.Message ?? ''})`,
          );
        }
      }
    },
  };
}

/** The same bounds on every call as the store's (a stalled SQS fails the invocation, which is retried). */
function sqsOptions() {
  const { connectionMs, requestMs, attempts } = STORE_TIMEOUTS.aws;
  return {
    maxAttempts: attempts,
    requestHandler: {
      connectionTimeout: connectionMs,
      requestTimeout: requestMs,
      throwOnRequestTimeout: true,
    },
  };
}
