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

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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

/** Options of an interleaved run: rounds, operations per round, and untimed warm-up operations per variant. */
export interface Interleave {
  rounds: number;
  iterations: number;
  warmup: number;
}

/** Starts timing a batch of operations; the function it returns adds the batch's per-operation CPU and wall time to `into`. */
function startClock(): (into: Timed, iterations: number) => void {
  const cpu = process.cpuUsage();
  const start = performance.now();
  return (into, iterations) => {
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    into.wall.push(wall / iterations);
    into.cpu.push((used.user + used.system) / 1000 / iterations);
  };
}

/** Each round's variants in a rotating order, each with its Timed record. */
function* schedule(variants: readonly Variant[], rounds: number, result: Map<string, Timed>) {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(k + round) % variants.length]!;
      yield { variant, timed: result.get(variant.name)! };
    }
  }
}

/**
 * Times each variant `iterations` times per round, for `rounds` rounds, the
 * order rotating each round, awaiting each operation; CPU and wall
 * milliseconds per operation by round. `warmup` operations of each variant
 * run first and are not counted.
 */
export async function interleaveTimed(
  variants: readonly Variant[],
  options: Interleave,
): Promise<Map<string, Timed>> {
  for (const variant of variants) for (let i = 0; i < options.warmup; i++) await variant.run();
  const result = new Map<string, Timed>(variants.map((v) => [v.name, { cpu: [], wall: [] }]));
  for (const { variant, timed } of schedule(variants, options.rounds, result)) {
    const stop = startClock();
    for (let i = 0; i < options.iterations; i++) await variant.run();
    stop(timed, options.iterations);
  }
  return result;
}

/**
 * interleaveTimed for synchronous variants: nothing awaited, so no microtask
 * per operation inside what is timed.
 */
export function interleaveSync(variants: readonly Variant[], options: Interleave): Map<string, Timed> {
  for (const variant of variants) for (let i = 0; i < options.warmup; i++) variant.run();
  const result = new Map<string, Timed>(variants.map((v) => [v.name, { cpu: [], wall: [] }]));
  for (const { variant, timed } of schedule(variants, options.rounds, result)) {
    const stop = startClock();
    for (let i = 0; i < options.iterations; i++) variant.run();
    stop(timed, options.iterations);
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
