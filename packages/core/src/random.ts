/**
 * @file The seeded random source behind rand/randn/randint, nn initialisers, dropout and shuffling.
 * xoshiro128** seeded through splitmix32: fast, 2^128 - 1 period, and identical on every platform.
 */

let state = new Uint32Array(4);
/** Box–Muller makes normals in pairs; the second waits here. */
let spare: number | null = null;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Seeds every random function of optimgrad (and of the packages built on it).
 * @example manualSeed(42); const w = randn([3, 3]);
 */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
  // Mix in the high bits so seeds above 2^32 differ too.
  const next = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296));
  state = new Uint32Array([next(), next(), next(), next()]);
  spare = null;
  if (state.every((v) => v === 0)) state[0] = 1;
}

manualSeed(Date.now());

function nextUint32(): number {
  const s = state;
  const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
  const t = (s[1] as number) << 9;
  s[2] = (s[2] as number) ^ (s[0] as number);
  s[3] = (s[3] as number) ^ (s[1] as number);
  s[1] = (s[1] as number) ^ (s[2] as number);
  s[0] = (s[0] as number) ^ (s[3] as number);
  s[2] = (s[2] as number) ^ t;
  s[3] = rotl(s[3] as number, 11);
  return result;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A uniform float64 in [0, 1) with 53 random bits. */
export function randomUniform(): number {
  const hi = nextUint32() >>> 5; // 27 bits
  const lo = nextUint32() >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A standard normal sample (Box–Muller, keeping the second value for the next call). */
export function randomNormal(): number {
  if (spare !== null) {
    const v = spare;
    spare = null;
    return v;
  }
  let u = 0;
  while (u === 0) u = randomUniform();
  const v = randomUniform();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/** A uniform integer in [low, high). */
export function randomInt(low: number, high: number): number {
  return low + Math.floor(randomUniform() * (high - low));
}

/** The generator state, to save and restore (e.g. for resumable data shuffling). */
export function getRngState(): number[] {
  return [...state, spare === null ? Number.NaN : spare];
}

export function setRngState(saved: readonly number[]): void {
  if (saved.length !== 5) throw new Error('setRngState: expected the 5 numbers returned by getRngState()');
  state = new Uint32Array(saved.slice(0, 4));
  spare = Number.isNaN(saved[4]) ? null : (saved[4] as number);
}
