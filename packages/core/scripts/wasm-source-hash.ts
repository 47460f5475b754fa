/**
 * @file The fingerprint of what the generated WebAssembly module is built from: every file under
 * assembly/, the pinned AssemblyScript version and the compiler flags of both variants (own memory, shared memory). The build writes it into
 * src/backend/wasm/module.generated.ts and a test recomputes it, so a stale committed module fails CI.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const coreDir = fileURLToPath(new URL('..', import.meta.url));
export const assemblyDir = join(coreDir, 'assembly');
export const generatedPath = join(coreDir, 'src/backend/wasm/module.generated.ts');

/**
 * asc flags: SIMD on, full optimisation, the stub runtime (no GC: kernels never allocate), no bounds
 * assertions in release code, and AS112 silenced (it warns that v128 values cross module boundaries,
 * but the v128 helpers in math.ts are internal; only i32/usize cross to JavaScript).
 */
export const ascFlags: readonly string[] = [
  '--enable',
  'simd',
  '-O3',
  '--runtime',
  'stub',
  '--noAssert',
  '--disableWarning',
  '112',
];

/** Pages (64 KiB) the shared variant's memory may grow to: 2 GiB, reserved up front by engines, not committed. */
export const SHARED_MAXIMUM_PAGES = 32768;

/**
 * Extra flags of the second variant, for worker threads: the memory is imported (`env.memory`) and shared,
 * so the main thread and every worker instantiate the same kernels over one `WebAssembly.Memory`.
 */
export const sharedAscFlags: readonly string[] = [
  '--enable',
  'threads',
  '--importMemory',
  '--sharedMemory',
  '--maximumMemory',
  String(SHARED_MAXIMUM_PAGES),
];

/** The assembly/ sources in a stable order. */
export function assemblyFiles(): string[] {
  return readdirSync(assemblyDir)
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

function pinnedAscVersion(): string {
  const pkg = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  return pkg.devDependencies?.assemblyscript ?? 'unpinned';
}

/** sha256 over file names and contents, the compiler version and the flags. */
export function wasmSourceHash(): string {
  const hash = createHash('sha256');
  for (const name of assemblyFiles()) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(join(assemblyDir, name)));
    hash.update('\0');
  }
  hash.update(`assemblyscript@${pinnedAscVersion()}\0${ascFlags.join(' ')}\0${sharedAscFlags.join(' ')}`);
  return hash.digest('hex');
}
