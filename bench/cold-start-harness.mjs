// One cold start, run by bench/cold-start.ts in a fresh Node process: imports a bundled function
// from BENCH_BUNDLE and answers BENCH_EVENT (an API Gateway v2 event, JSON) once, then prints the
// times as one JSON line: wall and CPU milliseconds (user + system, every thread) of the import
// and of the first answer. Plain JavaScript, so nothing but Node itself loads before the bundle.
import { pathToFileURL } from 'node:url';

const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const started = performance.now();
const startCpu = process.cpuUsage();
const module = await import(pathToFileURL(process.env.BENCH_BUNDLE).href);
const imported = performance.now();
const importCpu = process.cpuUsage(startCpu);
const result = await module.handler(JSON.parse(process.env.BENCH_EVENT), {
  functionName: 'bench',
  awsRequestId: 'bench-1',
  getRemainingTimeInMillis: () => 10_000,
});
const answered = performance.now();
const totalCpu = process.cpuUsage(startCpu);
process.stdout.write(
  `${JSON.stringify({
    importMs: imported - started,
    firstMs: answered - imported,
    importCpuMs: cpuMs(importCpu),
    firstCpuMs: cpuMs(totalCpu) - cpuMs(importCpu),
    status: result.statusCode,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  })}\n`,
);
