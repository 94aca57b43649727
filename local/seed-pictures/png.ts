import { deflateSync } from 'node:zlib';

/**
 * A small PNG encoder for the pictures generate.ts draws (the site's logo,
 * icon and favicon, and the sample newsroom's photos before they are encoded
 * as WebP), needing no image library: 8-bit RGB, one filter chosen per row, zlib.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Filters every row with the filter (Sub, Up or Paeth) whose output has the
 * smallest sum of absolute values — libpng's heuristic — which is what lets
 * smooth gradients compress to a few bytes a row. (None never wins on
 * pictures like these, so it is not tried.)
 */
function filterRows(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const stride = width * 3;
  const out = new Uint8Array(height * (stride + 1));
  // The row above the first is all zeros, as the PNG specification has it.
  const zeros = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const prior = y === 0 ? zeros : rgb.subarray((y - 1) * stride, y * stride);
    let sub = 0;
    let up = 0;
    let pae = 0;
    for (let i = 0; i < stride; i++) {
      const x = row[i]!;
      const a = i >= 3 ? row[i - 3]! : 0;
      const b = prior[i]!;
      const c = i >= 3 ? prior[i - 3]! : 0;
      const s = (x - a) & 0xff;
      const u = (x - b) & 0xff;
      const p = (x - paeth(a, b, c)) & 0xff;
      sub += s < 128 ? s : 256 - s;
      up += u < 128 ? u : 256 - u;
      pae += p < 128 ? p : 256 - p;
    }
    const type = up <= sub && up <= pae ? 2 : sub <= pae ? 1 : 4;
    const filtered = out.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    out[y * (stride + 1)] = type;
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? row[i - 3]! : 0;
      const predicted =
        type === 2 ? prior[i]! : type === 1 ? a : paeth(a, prior[i]!, i >= 3 ? prior[i - 3]! : 0);
      filtered[i] = (row[i]! - predicted) & 0xff;
    }
  }
  return out;
}

/** Encodes 8-bit RGB pixels (rows top to bottom, three bytes a pixel) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`expected ${width * height * 3} bytes of RGB, got ${rgb.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filterRows(width, height, rgb))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
