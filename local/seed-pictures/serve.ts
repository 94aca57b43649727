import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SAMPLE_TYPE, SAMPLE_VIDEO, SAMPLES_FOLDER, SAMPLES_PATH } from './pictures.ts';

/** A sample file's name: what generate.ts writes (`danube-floods.thumb.webp`, `sample-clip.webm`). */
const SAMPLE_FILE = /^[a-z0-9-]{1,80}(\.thumb|\.poster)?\.(webp|webm)$/;

const cache = new Map<string, { bytes: Buffer; etag: string }>();

/**
 * Serves the sample newsroom's pictures at /assets/samples/ from
 * local/seed/pictures/, as a static file host would (ETag, 304, a week's
 * caching); true when it answered. Only the local server does: the deployed
 * site has no sample newsroom, and no function serves these.
 */
export async function serveSamplePicture(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<boolean> {
  if (!path.startsWith(SAMPLES_PATH) || !['GET', 'HEAD'].includes(request.method ?? '')) return false;
  const name = path.slice(SAMPLES_PATH.length);
  if (!SAMPLE_FILE.test(name)) return false;
  let file = cache.get(name);
  if (file === undefined) {
    const bytes = await readFile(new URL(name, SAMPLES_FOLDER)).catch(() => undefined);
    if (bytes === undefined) return false;
    file = { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
    cache.set(name, file);
  }
  const headers = {
    'content-type': name.endsWith('.webm') ? SAMPLE_VIDEO.type : SAMPLE_TYPE,
    'cache-control': 'public, max-age=604800',
    etag: file.etag,
  };
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, headers).end();
    return true;
  }
  response.writeHead(200, { ...headers, 'content-length': file.bytes.length });
  response.end(request.method === 'HEAD' ? undefined : file.bytes);
  return true;
}
