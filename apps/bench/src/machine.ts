/** @file The machine a run was measured on: CPU, cores, the SIMD flags that matter to WebAssembly, Node, load. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly simdFlags: Readonly<Record<'sse4_1' | 'avx2' | 'avx512f', boolean | null>>;
  readonly wasmSimd: boolean;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly date: string;
  readonly loadAverage: readonly number[];
  readonly versions: Readonly<Record<string, string>>;
}

/** Flags from /proc/cpuinfo (what `lscpu` shows); null where the file does not exist (not Linux). */
function cpuFlags(): Set<string> | null {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('flags'));
    return new Set((line?.split(':')[1] ?? '').trim().split(/\s+/));
  } catch {
    return null;
  }
}

/** Whether this V8 validates a module using a v128 instruction (the wasm-feature-detect probe). */
function wasmSimdSupported(): boolean {
  const probe = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11];
  // Node's types (lib ES2022, no DOM) do not declare the WebAssembly global, though Node has it.
  const wasm = (globalThis as { WebAssembly?: { validate: (bytes: Uint8Array) => boolean } }).WebAssembly;
  try {
    return wasm?.validate(new Uint8Array(probe)) ?? false;
  } catch {
    return false;
  }
}

/** The installed version of a package, read from its package.json next to its resolved entry point. */
function installedVersion(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version !== undefined) return pkg.version;
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export function describeMachine(): Machine {
  const flags = cpuFlags();
  const has = (flag: string) => (flags === null ? null : flags.has(flag));
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown').trim(),
    cores: os.availableParallelism?.() ?? cpus.length,
    simdFlags: { sse4_1: has('sse4_1'), avx2: has('avx2'), avx512f: has('avx512f') },
    wasmSimd: wasmSimdSupported(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    versions: Object.fromEntries(
      ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@jax-js/jax'].map(
        (name) => [name, installedVersion(name)],
      ),
    ),
  };
}
