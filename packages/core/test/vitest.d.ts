/** @file Types of the `toBeAllClose` matcher registered in test/setup.ts. */
import 'vitest';
import type { AllCloseOptions } from './setup';

declare module 'vitest' {
  interface Matchers<T = unknown> {
    /** Element-wise closeness to a Tensor, typed array, nested array or number, shapes compared first. */
    toBeAllClose(expected: unknown, options?: AllCloseOptions): T;
  }
}
