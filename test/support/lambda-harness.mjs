// Runs one bundled Lambda handler the way the Node.js runtime does: imports
// index.mjs from the function's directory (cwd = LAMBDA_TASK_ROOT), then calls the
// exported handler with (event, context) once per request. Plain JavaScript so the
// Lambda Node binary runs it without a loader. Protocol: one JSON line in per
// invocation, {"id", "event"}; one JSON line out, {"id", "result"} or {"id", "error"}.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const taskRoot = process.env.LAMBDA_TASK_ROOT;
const [file, name] = (process.env._HANDLER ?? 'index.handler').split('.');
const module = await import(pathToFileURL(`${taskRoot}/${file}.mjs`).href);
const handler = module[name];
if (typeof handler !== 'function') throw new Error(`${file}.mjs exports no function ${name}`);

let invocation = 0;
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const { id, event } = JSON.parse(line);
  invocation += 1;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    awsRequestId: `harness-${invocation}`,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}:live`,
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 10_000,
  };
  try {
    const result = await handler(event, context);
    process.stdout.write(`${JSON.stringify({ id, result })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, error: String(error?.stack ?? error) })}\n`);
  }
}
