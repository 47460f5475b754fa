/** @file Shared test helpers: fixture loading and an all-close assertion with a useful message. */
import { readFileSync } from 'node:fs';
import { type NestedArray, type Tensor, tensor } from '@optimgrad/core';
import { expect } from 'vitest';

/** Reads `test/fixtures/torch/<name>.json` (written by scripts/fixtures/nn.py). */
export function loadFixture<T>(name: string): T {
  const url = new URL(`./fixtures/torch/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** A float64 tensor from fixture values. */
export function f64(data: NestedArray, requiresGrad = false): Tensor {
  return tensor(data, { dtype: 'float64', requiresGrad });
}

function flat(value: Tensor | NestedArray | null): number[] {
  if (value === null) return [];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return (value as NestedArray[]).flatMap((v) => flat(v));
  return Array.from((value as Tensor).data);
}

function shapeOf(value: NestedArray): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as NestedArray[])[0] as NestedArray;
  }
  return shape;
}

/** Asserts |actual − expected| <= atol + rtol·|expected| element-wise (and equal shapes for tensors). */
export function expectClose(
  actual: Tensor | NestedArray | null,
  expected: NestedArray,
  { rtol = 1e-9, atol = 1e-12, label = '' }: { rtol?: number; atol?: number; label?: string } = {},
): void {
  if (actual !== null && typeof actual === 'object' && !Array.isArray(actual)) {
    expect((actual as Tensor).shape, `${label} shape`).toEqual(shapeOf(expected));
  }
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, `${label} element count`).toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const excess = Math.abs((a[i] as number) - (e[i] as number)) - (atol + rtol * Math.abs(e[i] as number));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${label}: element ${worst} is ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
