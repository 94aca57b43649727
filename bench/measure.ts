/**
 * Timing for the benchmark: every figure is measured beside its baseline in
 * the same run, the variants interleaved round by round (in a rotating
 * order), so that a shared, noisy machine slows them alike. Reports CPU time
 * (user + system of the whole process: every thread, GC included) beside
 * wall time, the min, median and max over rounds, and each variant's ratio
 * to the baseline taken round by round.
 */
import { cpus, loadavg, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One thing to time: a synchronous or asynchronous operation. */
export interface Variant {
  name: string;
  run: () => unknown;
}

/** A measured figure: per-round values, their min and median, and the ratio to its baseline. */
export interface Figure {
  name: string;
  unit: string;
  min: number;
  median: number;
  rounds: number[];
  /** Median over rounds of (this round's value ÷ the baseline's value in the same round). */
  ratio?: number;
  /** The figure this one is compared with. */
  baseline?: string;
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Builds figures from per-round values, with ratios to `baseline` (a name among them). */
export function figures(rounds: ReadonlyMap<string, number[]>, unit: string, baseline?: string): Figure[] {
  const base = baseline === undefined ? undefined : rounds.get(baseline);
  return [...rounds].map(([name, values]) => ({
    name,
    unit,
    min: Math.min(...values),
    median: median(values),
    rounds: values,
    ...(base !== undefined &&
      baseline !== undefined &&
      name !== baseline && {
        ratio: median(values.map((v, i) => v / base[i]!)),
        baseline,
      }),
  }));
}

/** Min, median and max of per-round values. */
export interface Range {
  min: number;
  median: number;
  max: number;
}

/** The range of per-round values. */
export function range(values: readonly number[]): Range {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** CPU and wall milliseconds per operation of one variant, by round. */
export interface Timed {
  cpu: number[];
  wall: number[];
}

/** One variant's figures: CPU and wall time as ranges over rounds, and its ratios to the baseline by round. */
export interface TimedFigure {
  name: string;
  cpu: Range;
  wall: Range;
  cpuRounds: number[];
  wallRounds: number[];
  /** This variant ÷ the baseline, CPU and wall, taken round by round. */
  ratio?: { baseline: string; cpu: Range; wall: Range };
}

/**
 * Times each variant `iterations` times per round, for `rounds` rounds, the
 * order rotating each round, awaiting each operation; CPU and wall
 * milliseconds per operation by round. `warmup` operations of each variant
 * run first and are not counted.
 */
export async function interleaveTimed(
  variants: readonly Variant[],
  options: { rounds: number; iterations: number; warmup: number },
): Promise<Map<string, Timed>> {
  for (const variant of variants) for (let i = 0; i < options.warmup; i++) await variant.run();
  const result = new Map<string, Timed>(variants.map((v) => [v.name, { cpu: [], wall: [] }]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(k + round) % variants.length]!;
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < options.iterations; i++) await variant.run();
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      const timed = result.get(variant.name)!;
      timed.wall.push(wall / options.iterations);
      timed.cpu.push((used.user + used.system) / 1000 / options.iterations);
    }
  }
  return result;
}

/** Figures from timed rounds, each with its ratios to `baseline` (a name among them) round by round. */
export function timedFigures(rounds: ReadonlyMap<string, Timed>, baseline?: string): TimedFigure[] {
  const base = baseline === undefined ? undefined : rounds.get(baseline);
  const byRound = (values: number[], of: number[]) => range(values.map((v, i) => v / of[i]!));
  return [...rounds].map(([name, { cpu, wall }]) => ({
    name,
    cpu: range(cpu),
    wall: range(wall),
    cpuRounds: cpu,
    wallRounds: wall,
    ...(base !== undefined &&
      baseline !== undefined &&
      name !== baseline && {
        ratio: { baseline, cpu: byRound(cpu, base.cpu), wall: byRound(wall, base.wall) },
      }),
  }));
}

/** Interleaves synchronous variants without awaiting each operation (no microtask per iteration). */
export function interleaveSync(
  variants: readonly Variant[],
  options: { rounds: number; iterations: number; warmup: number },
): Map<string, number[]> {
  for (const variant of variants) for (let i = 0; i < options.warmup; i++) variant.run();
  const result = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(k + round) % variants.length]!;
      const start = performance.now();
      for (let i = 0; i < options.iterations; i++) variant.run();
      result.get(variant.name)!.push((performance.now() - start) / options.iterations);
    }
  }
  return result;
}

/** The machine a run came from, recorded beside its figures (the load average again at the end: loadAverage()). */
export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverage: loadAverage(),
  };
}

/** The 1, 5 and 15-minute load averages: how busy the machine was (2.0 on 2 cores = fully used). */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}
