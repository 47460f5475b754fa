/** @file Test helpers: the PyTorch fixtures, the shared objective and a close-comparison of nested arrays. */
import { readFileSync } from 'node:fs';
import { type NestedArray, type Tensor, tensor } from '@optimgrad/core';
import { expect } from 'vitest';

/** Reads `fixtures/torch/<name>.json` (written by scripts/fixtures/optim.py). */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/torch/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The objective of the fixtures: a Rosenbrock-like valley plus log-sum-exp, sine and tanh terms. */
export function objective(a: Tensor, b: Tensor, c: Tensor): Tensor {
  const rosen = a
    .rsub(1)
    .pow(2)
    .sum()
    .add(b.sub(a.pow(2)).pow(2).sum().mul(5));
  return rosen.add(a.matmul(c).logsumexp(0)).add(c.sin().sum()).add(b.mul(c).tanh().sum());
}

/** Leaf parameters a, b, c (float64 unless asked) from the fixture's initial values. */
export function makeParams(
  initial: Record<string, NestedArray>,
  dtype: 'float32' | 'float64' = 'float64',
): Record<'a' | 'b' | 'c', Tensor> {
  const make = (name: 'a' | 'b' | 'c') => tensor(initial[name] as NestedArray, { dtype, requiresGrad: true });
  return { a: make('a'), b: make('b'), c: make('c') };
}

/** Asserts that every number in `actual` is within `tolerance` (absolute + relative) of `expected`. */
export function expectClose(actual: NestedArray, expected: NestedArray, tolerance: number, label = ''): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length, `${label}: element count`).toBe(e.length);
  for (const [i, value] of e.entries()) {
    const diff = Math.abs((a[i] as number) - value);
    if (!(diff <= tolerance * (1 + Math.abs(value)))) {
      expect.fail(`${label}[${i}]: got ${a[i]}, PyTorch gives ${value} (difference ${diff})`);
    }
  }
}

/** The numbers of a nested array, row-major. */
export function flatten(value: NestedArray): number[] {
  return typeof value === 'number' ? [value] : value.flatMap(flatten);
}
