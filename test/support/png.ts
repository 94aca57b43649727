import { inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes an 8-bit RGB, non-interlaced PNG the way the specification says —
 * chunk CRCs checked, IDATs joined, every filter type undone — independently
 * of the encoder under test, so that a test can compare pixels.
 */
export function decodePng(png: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  const bytes = Buffer.from(png);
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG signature');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    const crc = bytes.readUInt32BE(offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') header = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') ended = true;
    offset += 12 + length;
  }
  if (header === undefined || !ended) throw new Error('no IHDR or IEND');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  if (header[8] !== 8 || header[9] !== 2 || header[12] !== 0) {
    throw new Error('expected 8-bit RGB, not interlaced');
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 3;
  if (raw.length !== height * (stride + 1)) throw new Error(`${raw.length} bytes of image data`);
  const rgb = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= 3 ? rgb[y * stride + i - 3]! : 0;
      const b = y > 0 ? rgb[(y - 1) * stride + i]! : 0;
      const c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3]! : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter ?? -1];
      if (predicted === undefined) throw new Error(`unknown filter ${filter} on row ${y}`);
      rgb[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return { width, height, rgb };
}
