import { encodePng } from './png.ts';

/**
 * The site's mark, a white "N" over a wire on the brand red, made for each
 * slot that shows it: the channel image (144 px, the RSS channel image's
 * recommended maximum width), the 64 px icon (Atom icon, JSON Feed favicon),
 * the 512 px icon (JSON Feed icon, Feedly, SmartNews), the 2:1 wide logo
 * (Atom logo, Feedly), Feedly's 2:1 cover, and /favicon.ico. generate.ts
 * writes them to functions/static/, which the pages function serves.
 */

const RED = [0xb3, 0x00, 0x1b] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/** True where the mark is white, for a point in the unit square. */
function inMark(x: number, y: number): boolean {
  const bar = y >= 0.2 && y <= 0.72;
  const leftStem = bar && x >= 0.2 && x <= 0.33;
  const rightStem = bar && x >= 0.67 && x <= 0.8;
  // The diagonal runs from the top of the left stem to the bottom of the right one.
  const diagonal = bar && Math.abs(x - (0.265 + ((y - 0.2) / 0.52) * 0.47)) <= 0.075;
  const wire = y >= 0.8 && y <= 0.85 && x >= 0.2 && x <= 0.8;
  return leftStem || rightStem || diagonal || wire;
}

/** The mark as an 8-bit RGB PNG of `size` × `size` pixels, or centred on red `width` pixels wide. */
export function drawMarkPng(size: number, width = size): Buffer {
  const rgb = new Uint8Array(width * size * 3);
  const left = (width - size) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < width; x++) {
      rgb.set(inMark((x - left + 0.5) / size, (y + 0.5) / size) ? WHITE : RED, (y * width + x) * 3);
    }
  }
  return encodePng(width, size, rgb);
}

/**
 * An ICO file holding one 32 × 32 PNG (the format every browser since
 * Windows Vista's era reads), so `/favicon.ico` shows the site's mark.
 */
export function drawFaviconIco(): Buffer {
  const png = drawMarkPng(32);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const entry = Buffer.alloc(16);
  entry.writeUInt8(32, 0); // width
  entry.writeUInt8(32, 1); // height
  entry.writeUInt8(0, 2); // no palette
  entry.writeUInt8(0, 3); // reserved
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, png]);
}
