/**
 * Section 5 of the benchmark: the local server (the Lambda handlers behind
 * Node's HTTP server, on DynamoDB Local) under load from autocannon, for a
 * 200 and a 304 of one feed, beside a bare Node server returning the same
 * bytes and headers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { median } from './measure.ts';

/** Requests per second and latency of one variant, over rounds. */
export interface LoadFigure {
  name: string;
  requestsPerSecond: number[];
  latencyP50Ms: number[];
  latencyP99Ms: number[];
  /** Median requests/s ÷ the bare server's for the same status. */
  ratio?: number;
}

/** A server that answers every request with `body` and `headers`, or 304 for the matching ETag. */
function bareServer(body: Buffer, headers: Record<string, string>): Promise<Server> {
  const { 'content-type': _type, ...notModified } = headers;
  const server = createServer((request, response) => {
    if (request.headers['if-none-match'] === headers.etag) {
      response.writeHead(304, notModified).end();
    } else {
      response.writeHead(200, { ...headers, 'content-length': String(body.length) }).end(body);
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, headers, connections: 8, duration: seconds });
  if (result.non2xx > 0 && headers['if-none-match'] === undefined) throw new Error(`${url}: non-2xx answers`);
  return result;
}

/** Loads the local server's `path` and a bare server with its bytes: a 200 and a 304 each, interleaved. */
export async function benchLoad(
  baseUrl: string,
  path: string,
  options: { rounds: number; seconds: number },
): Promise<LoadFigure[]> {
  const first = await fetch(`${baseUrl}${path}`);
  const body = Buffer.from(await first.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'etag', 'last-modified', 'vary']) {
    const value = first.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const bare = await bareServer(body, headers);
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const revalidate = { 'if-none-match': headers.etag ?? '' };
  const variants = [
    { name: 'local server 200', url: `${baseUrl}${path}`, headers: {} },
    { name: 'bare server 200', url: `${bareUrl}${path}`, headers: {} },
    { name: 'local server 304', url: `${baseUrl}${path}`, headers: revalidate },
    { name: 'bare server 304', url: `${bareUrl}${path}`, headers: revalidate },
  ];
  const figures = new Map<string, LoadFigure>(
    variants.map((v) => [
      v.name,
      { name: v.name, requestsPerSecond: [], latencyP50Ms: [], latencyP99Ms: [] },
    ]),
  );
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(k + round) % variants.length]!;
        const result = await load(variant.url, variant.headers, options.seconds);
        const figure = figures.get(variant.name)!;
        figure.requestsPerSecond.push(result.requests.average);
        figure.latencyP50Ms.push(result.latency.p50);
        figure.latencyP99Ms.push(result.latency.p99);
      }
    }
  } finally {
    await new Promise((done) => bare.close(done));
  }
  for (const status of ['200', '304']) {
    const ours = figures.get(`local server ${status}`)!;
    const base = figures.get(`bare server ${status}`)!;
    ours.ratio = median(ours.requestsPerSecond) / median(base.requestsPerSecond);
  }
  return [...figures.values()];
}
