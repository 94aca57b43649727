/**
 * A set of distinct clients (salted 64-bit hashes), small whatever it holds:
 * the hashes themselves while there are at most EXACT_LIMIT of them (an exact
 * count, 1 KB at most), then a HyperLogLog of 2^10 one-byte registers (1 KB,
 * relative standard error 1.04/√1024 ≈ 3.3 %; Flajolet et al., 2007, with
 * linear counting for small cardinalities as in Heule et al., 2013). Adding
 * and merging are idempotent and order-free, so counting the same log twice,
 * or in pieces, gives the same sketch.
 */

/** Bytes of one client hash. */
export const HASH_BYTES = 8;

/** Distinct clients kept as exact hashes before the sketch turns into a HyperLogLog. */
export const EXACT_LIMIT = 128;

/** Bits of a hash that choose a register. */
const PRECISION = 10;
const REGISTERS = 1 << PRECISION;
/** Bias correction of the raw estimate for 1,024 registers. */
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

const EXACT = 0;
const HLL = 1;

/** The relative standard error of a count above EXACT_LIMIT. */
export const SKETCH_STANDARD_ERROR = 1.04 / Math.sqrt(REGISTERS);

function keyOf(hash: Uint8Array, at = 0): string {
  return Buffer.from(hash.buffer, hash.byteOffset + at, HASH_BYTES).toString('hex');
}

/** The register a hash falls in and its rank (leading zeros of the other 54 bits, plus one). */
function registerOf(hash: Uint8Array, at = 0): { index: number; rank: number } {
  const view = new DataView(hash.buffer, hash.byteOffset + at, HASH_BYTES);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const index = hi >>> (32 - PRECISION);
  const rest = hi & ((1 << (32 - PRECISION)) - 1);
  const restBits = 32 - PRECISION;
  let rank: number;
  if (rest !== 0) rank = Math.clz32(rest) - PRECISION + 1;
  else if (lo !== 0) rank = restBits + Math.clz32(lo) + 1;
  else rank = restBits + 32 + 1;
  return { index, rank };
}

/** Distinct clients of one reader of one feed on one day. */
export class ClientSketch {
  private constructor(
    private exact: Set<string> | undefined,
    private registers: Uint8Array | undefined,
  ) {}

  /** An empty set. */
  static empty(): ClientSketch {
    return new ClientSketch(new Set(), undefined);
  }

  /** A sketch as `encode` stored it. */
  static decode(bytes: Uint8Array): ClientSketch {
    const mode = bytes[0];
    if (mode === HLL && bytes.length === 1 + REGISTERS) {
      return new ClientSketch(undefined, Uint8Array.from(bytes.subarray(1)));
    }
    if (mode === EXACT && (bytes.length - 1) % HASH_BYTES === 0) {
      const exact = new Set<string>();
      for (let at = 1; at < bytes.length; at += HASH_BYTES) exact.add(keyOf(bytes, at));
      return new ClientSketch(exact, undefined);
    }
    throw new TypeError('Not a client sketch');
  }

  /** Adds one client's hash (HASH_BYTES bytes). */
  add(hash: Uint8Array): void {
    if (this.exact !== undefined) {
      this.exact.add(keyOf(hash));
      if (this.exact.size > EXACT_LIMIT) this.toRegisters();
      return;
    }
    const { index, rank } = registerOf(hash);
    const registers = this.registers!;
    if ((registers[index] ?? 0) < rank) registers[index] = rank;
  }

  /** Adds every client of another sketch (a union). */
  merge(other: ClientSketch): void {
    if (other.exact !== undefined) {
      for (const key of other.exact) this.add(Buffer.from(key, 'hex'));
      return;
    }
    if (this.exact !== undefined) this.toRegisters();
    const mine = this.registers!;
    const theirs = other.registers!;
    for (let i = 0; i < REGISTERS; i++) if ((theirs[i] ?? 0) > (mine[i] ?? 0)) mine[i] = theirs[i] ?? 0;
  }

  /** How many distinct clients: exact up to EXACT_LIMIT, then the HyperLogLog estimate, rounded. */
  count(): number {
    if (this.exact !== undefined) return this.exact.size;
    const registers = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (const r of registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    const estimate = raw <= 2.5 * REGISTERS && zeros > 0 ? REGISTERS * Math.log(REGISTERS / zeros) : raw;
    return Math.max(EXACT_LIMIT + 1, Math.round(estimate));
  }

  /** The sketch as bytes to store: a mode byte, then the sorted hashes or the registers. */
  encode(): Uint8Array {
    if (this.exact === undefined) {
      const bytes = new Uint8Array(1 + REGISTERS);
      bytes[0] = HLL;
      bytes.set(this.registers!, 1);
      return bytes;
    }
    const keys = [...this.exact].sort();
    const bytes = Buffer.alloc(1 + keys.length * HASH_BYTES);
    bytes[0] = EXACT;
    keys.forEach((key, i) => {
      bytes.write(key, 1 + i * HASH_BYTES, 'hex');
    });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  private toRegisters(): void {
    const registers = new Uint8Array(REGISTERS);
    for (const key of this.exact ?? []) {
      const { index, rank } = registerOf(Buffer.from(key, 'hex'));
      if ((registers[index] ?? 0) < rank) registers[index] = rank;
    }
    this.exact = undefined;
    this.registers = registers;
  }
}
