import { createHash } from 'node:crypto';
import { encodePng } from './png.ts';

/**
 * The sample newsroom's pictures, drawn in code: a landscape (sky, sun,
 * clouds, ranges of hills, a lake or a meadow) whose light and layout come
 * from the picture's name, so each story gets its own and the same name
 * always gives the same pixels. Only generate.ts uses it, to make the files
 * in local/seed/pictures/ once: no function draws a picture.
 */

type Rgb = readonly [number, number, number];

/** The light of a scene: sky from zenith to horizon, the sun and its glow, hills far to near, water. */
interface Light {
  zenith: Rgb;
  horizon: Rgb;
  sun: Rgb;
  glow: Rgb;
  cloud: Rgb;
  hills: readonly [Rgb, Rgb, Rgb];
  water: Rgb;
}

const LIGHTS: readonly Light[] = [
  // Clear midday.
  {
    zenith: [58, 118, 196],
    horizon: [184, 214, 236],
    sun: [255, 252, 236],
    glow: [255, 246, 214],
    cloud: [250, 252, 255],
    hills: [
      [118, 146, 160],
      [76, 118, 84],
      [46, 90, 52],
    ],
    water: [40, 92, 128],
  },
  // Golden hour.
  {
    zenith: [62, 96, 162],
    horizon: [248, 196, 136],
    sun: [255, 236, 180],
    glow: [255, 200, 120],
    cloud: [255, 222, 186],
    hills: [
      [150, 132, 128],
      [106, 96, 70],
      [64, 66, 42],
    ],
    water: [58, 74, 100],
  },
  // Dusk.
  {
    zenith: [36, 40, 92],
    horizon: [238, 126, 94],
    sun: [255, 206, 150],
    glow: [250, 140, 96],
    cloud: [214, 120, 128],
    hills: [
      [108, 74, 108],
      [66, 48, 78],
      [34, 28, 48],
    ],
    water: [44, 40, 76],
  },
  // Dawn.
  {
    zenith: [104, 138, 196],
    horizon: [246, 200, 190],
    sun: [255, 244, 224],
    glow: [255, 212, 196],
    cloud: [255, 232, 228],
    hills: [
      [150, 160, 190],
      [102, 118, 150],
      [60, 78, 104],
    ],
    water: [80, 104, 140],
  },
  // Hazy, soft light.
  {
    zenith: [132, 152, 172],
    horizon: [222, 226, 222],
    sun: [255, 255, 246],
    glow: [246, 240, 222],
    cloud: [238, 240, 240],
    hills: [
      [170, 180, 184],
      [120, 142, 132],
      [78, 104, 86],
    ],
    water: [96, 122, 132],
  },
];

/** mulberry32: a tiny, fast, seeded PRNG; the seed comes from the photo's name. */
function randomFor(name: string): () => number {
  let state = createHash('sha256').update(name).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a: Rgb, b: Rgb, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** A ridge line: height above the horizon as a sum of a few sines with seeded phases. */
function ridge(random: () => number, base: number, amplitude: number, roughness: number) {
  const waves = [1, 2.3, 5.1, 11.7].map((f, i) => ({
    frequency: f * (0.7 + random() * 0.6) * (i === 0 ? 1 : roughness),
    phase: random() * Math.PI * 2,
    weight: [1, 0.45, 0.18, 0.06][i]!,
  }));
  return (u: number) => {
    let sum = 0;
    for (const w of waves) sum += w.weight * Math.sin(2 * Math.PI * w.frequency * u + w.phase);
    return base - amplitude * (0.55 + 0.45 * (sum / 1.69));
  };
}

/** Soft edge: 1 inside `edge`, 0 outside 1, smooth between (distances are relative, 1 = the shape's rim). */
function softEdge(distance: number, edge: number): number {
  if (distance <= edge) return 1;
  if (distance >= 1) return 0;
  const t = (1 - distance) / (1 - edge);
  return t * t * (3 - 2 * t);
}

/**
 * Draws the landscape for `name` as RGB bytes, `width` × `height`. Most of the
 * picture varies from row to row only (sky, haze, shading, water bands), and
 * shapes have flat interiors with anti-aliased rims, which is what keeps the
 * PNG small; the sun's glow and its path on the water are the only soft
 * two-dimensional gradients, and they are kept small.
 */
export function drawLandscape(name: string, width: number, height: number): Uint8Array {
  const random = randomFor(name);
  const light = LIGHTS[Math.floor(random() * LIGHTS.length)]!;
  const horizon = 0.5 + random() * 0.14;
  const hasLake = random() < 0.6;
  const waterLine = horizon + 0.1 + random() * 0.08;
  const sun = { u: 0.15 + random() * 0.7, v: horizon - 0.06 - random() * 0.24, r: 0.035 + random() * 0.025 };
  const aspect = width / height;
  const clouds = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
    const u = random();
    const v = 0.08 + random() * (horizon - 0.25);
    return Array.from({ length: 3 }, (_, i) => ({
      u: u + (i - 1) * (0.05 + random() * 0.05),
      v: v + (random() - 0.5) * 0.02,
      rx: 0.06 + random() * 0.08,
      ry: 0.015 + random() * 0.02,
      alpha: 0.3 + random() * 0.3,
    }));
  }).flat();
  const ranges = [
    { top: ridge(random, horizon + 0.02, 0.16 + random() * 0.1, 1.4), haze: 0.4 },
    { top: ridge(random, horizon + 0.07, 0.08 + random() * 0.06, 1.8), haze: 0.18 },
    { top: ridge(random, horizon + 0.15, 0.06 + random() * 0.05, 2.2), haze: 0 },
  ]
    .slice(0, hasLake ? 2 : 3)
    .map((range, i) => {
      const tops = Float64Array.from({ length: width }, (_, x) => range.top((x + 0.5) / width));
      const colour = mix(light.hills[i]!, light.horizon, range.haze);
      return { tops, highest: Math.min(...tops), colour };
    });

  const rgb = new Uint8Array(width * height * 3);
  const landEnd = hasLake ? Math.round(waterLine * height) : height;
  const glowRadius = sun.r * 4;
  for (let y = 0; y < landEnd; y++) {
    const v = (y + 0.5) / height;
    const skyT = clamp01(v / horizon) ** 1.6;
    const [skyR, skyG, skyB] = mix(light.zenith, light.horizon, skyT);
    const rowClouds = clouds.filter((c) => Math.abs(v - c.v) < c.ry);
    const rowGlow = Math.abs(v - sun.v) < glowRadius;
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      let r = skyR;
      let g = skyG;
      let b = skyB;
      if (rowGlow) {
        const du = (u - sun.u) * aspect;
        const dv = v - sun.v;
        const distance = Math.sqrt(du * du + dv * dv);
        if (distance < glowRadius) {
          const t = distance / glowRadius;
          const glow = 0.5 * (1 - t) * (1 - t);
          r += (light.glow[0] - r) * glow;
          g += (light.glow[1] - g) * glow;
          b += (light.glow[2] - b) * glow;
          const disc = clamp01((sun.r - distance) * height + 0.5);
          r += (light.sun[0] - r) * disc;
          g += (light.sun[1] - g) * disc;
          b += (light.sun[2] - b) * disc;
        }
      }
      for (const c of rowClouds) {
        const cu = (u - c.u) / c.rx;
        const cv = (v - c.v) / c.ry;
        const alpha = c.alpha * softEdge(Math.sqrt(cu * cu + cv * cv), 0.6);
        r += (light.cloud[0] - r) * alpha;
        g += (light.cloud[1] - g) * alpha;
        b += (light.cloud[2] - b) * alpha;
      }
      for (const range of ranges) {
        if (v < range.highest - 1 / height) continue;
        const coverage = clamp01((v - range.tops[x]!) * height + 0.5);
        if (coverage === 0) continue;
        // Shaded by height in the picture, not below the ridge, so each row is one colour.
        const shade = 1 - 0.3 * clamp01((v - range.highest) / 0.35);
        r += (range.colour[0] * shade - r) * coverage;
        g += (range.colour[1] * shade - g) * coverage;
        b += (range.colour[2] * shade - b) * coverage;
      }
      const at = (y * width + x) * 3;
      rgb[at] = r;
      rgb[at + 1] = g;
      rgb[at + 2] = b;
    }
  }
  // The lake mirrors what is above it, in bands, tinted more with depth; the sun leaves a path.
  for (let y = landEnd; y < height; y++) {
    const depth = (y - landEnd) / Math.max(1, height - landEnd);
    const mirrored = Math.max(0, 2 * landEnd - y - 1);
    const band = Math.sin(y * 0.45) > 0.6 ? 0.08 : 0;
    const tint = 0.3 + 0.45 * depth + band;
    const shift = Math.sin(y * 0.3) > 0 ? 1 : 0;
    const pathWidth = (sun.r * (1 + depth * 1.5) * width) / aspect;
    const pathCentre = sun.u * width;
    const pathStrength = Math.sin(y * 1.3) > 0 ? 0.4 * (1 - depth * 0.6) : 0;
    for (let x = 0; x < width; x++) {
      const source = (mirrored * width + Math.min(width - 1, x + shift)) * 3;
      let r = rgb[source]! + (light.water[0] - rgb[source]!) * tint;
      let g = rgb[source + 1]! + (light.water[1] - rgb[source + 1]!) * tint;
      let b = rgb[source + 2]! + (light.water[2] - rgb[source + 2]!) * tint;
      const offset = Math.abs(x + 0.5 - pathCentre) / pathWidth;
      if (pathStrength > 0 && offset < 1) {
        const path = pathStrength * softEdge(offset, 0.3);
        r += (light.glow[0] - r) * path;
        g += (light.glow[1] - g) * path;
        b += (light.glow[2] - b) * path;
      }
      const at = (y * width + x) * 3;
      rgb[at] = r;
      rgb[at + 1] = g;
      rgb[at + 2] = b;
    }
  }
  return rgb;
}

/** The landscape for `name` as a PNG of `width` × `height` pixels. */
export function drawSamplePhoto(name: string, width: number, height: number): Buffer {
  return encodePng(width, height, drawLandscape(name, width, height));
}
