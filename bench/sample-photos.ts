/**
 * Sample photo benchmark: how long drawing and encoding one uncached sample
 * photo takes (the first request for it; later ones are served from memory),
 * and how large each seeded story's renditions are.
 * Usage: npm run bench:photos
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SAMPLE_SIZES } from '../functions/assets.ts';
import { drawSamplePhoto } from '../functions/sample-photos.ts';
import { loadSeedArticles } from '../local/seed.ts';

const slugs = loadSeedArticles().map((a) => a.id);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
console.log(`${slugs.length} seeded stories\n`);
for (const [rendition, { width, height }] of Object.entries(SAMPLE_SIZES)) {
  drawSamplePhoto('warm-up', width, height);
  const times: number[] = [];
  const sizes: number[] = [];
  for (const slug of slugs) {
    const start = performance.now();
    sizes.push(drawSamplePhoto(slug, width, height).length);
    times.push(performance.now() - start);
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? 0;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `${rendition.padEnd(6)} ${width}×${height}: ${median(times).toFixed(1)} ms median, ` +
      `${Math.max(...times).toFixed(1)} ms max to draw and encode; ` +
      `${kib(Math.min(...sizes))} min, ${kib(median(sizes))} median, ${kib(Math.max(...sizes))} max`,
  );
}
