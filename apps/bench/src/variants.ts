/**
 * @file optimgrad's columns: the same workload code run under three configurations, so one table shows the default
 * (WebAssembly SIMD backend, one thread), the same on two threads, and the plain-TypeScript kernels that serve where
 * WebAssembly SIMD is missing.
 */
import { getBackend, getNumThreads, setBackend, setNumThreads } from '@optimgrad/core';

export const OPTIMGRAD_VARIANTS = ['optimgrad', 'optimgrad-2t', 'optimgrad-ts'] as const;
export type OptimgradVariant = (typeof OPTIMGRAD_VARIANTS)[number];

interface Configuration {
  readonly backend: 'wasm' | 'cpu';
  readonly threads: number;
}

const CONFIGURATIONS: Readonly<Record<OptimgradVariant, Configuration>> = {
  optimgrad: { backend: 'wasm', threads: 1 },
  'optimgrad-2t': { backend: 'wasm', threads: 2 },
  'optimgrad-ts': { backend: 'cpu', threads: 1 },
};

export function isOptimgradVariant(engine: string): engine is OptimgradVariant {
  return (OPTIMGRAD_VARIANTS as readonly string[]).includes(engine);
}

/**
 * Switches core to the variant's backend and thread count; returns the function that restores the previous ones.
 * Must wrap the whole measurement: setup, check and timed runs.
 */
export function useVariant(variant: OptimgradVariant): () => void {
  const { backend, threads } = CONFIGURATIONS[variant];
  const previousBackend = setBackend(backend);
  const previousThreads = getNumThreads();
  setNumThreads(threads);
  return () => {
    setBackend(previousBackend);
    setNumThreads(previousThreads);
  };
}

/** What each variant actually ran on (the wasm backend falls back to cpu where SIMD is missing). */
export function describeVariants(): string {
  return OPTIMGRAD_VARIANTS.map((variant) => {
    const restore = useVariant(variant);
    const text = `${variant}: backend ${getBackend().name}, ${getNumThreads()} thread(s)`;
    restore();
    return text;
  }).join('; ');
}
