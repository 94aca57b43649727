import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LogFile, LogSource } from '../core/ports.ts';

/** Messages one ReceiveMessage may return (SQS's maximum). */
const RECEIVE_MAX = 10;

/** An S3 event notification, as much of it as names the object (ObjectCreated records). */
interface S3Notification {
  Records?: Array<{ eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }>;
}

/** S3 event notifications encode object keys as in a form: `+` for a space, then %XX. */
function objectKey(encoded: string): string {
  return decodeURIComponent(encoded.replaceAll('+', ' '));
}

/**
 * The access-log files S3 announced on an SQS queue (the bucket's
 * ObjectCreated notifications): each message's objects are read from S3,
 * and the messages deleted once their files are counted. A message that is
 * not deleted (the invocation failed or timed out) comes back after the
 * queue's visibility timeout, so every file is counted at least once; the
 * counting itself is idempotent. Test events and deleted objects are skipped.
 */
export class QueuedLogSource implements LogSource {
  constructor(
    private readonly sqs: SQSClient,
    private readonly s3: S3Client,
    private readonly queueUrl: string,
  ) {}

  async next(max: number): Promise<{ files: LogFile[]; done(): Promise<void> } | undefined> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(RECEIVE_MAX, Math.max(1, max)),
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return undefined;
    const files: LogFile[] = [];
    for (const message of Messages) {
      let notification: S3Notification;
      try {
        notification = JSON.parse(message.Body ?? '{}') as S3Notification;
      } catch {
        continue; // not an S3 notification: deleted with the rest
      }
      for (const record of notification.Records ?? []) {
        const bucket = record.s3?.bucket?.name;
        const key = record.s3?.object?.key;
        if (bucket === undefined || key === undefined || !record.eventName?.startsWith('ObjectCreated'))
          continue;
        try {
          const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
          files.push({ name: objectKey(key), body: await object.Body!.transformToByteArray() });
        } catch (error) {
          if (!(error instanceof NoSuchKey)) throw error;
        }
      }
    }
    return {
      files,
      done: async () => {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      },
    };
  }
}
