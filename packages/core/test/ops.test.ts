/**
 * @file Table-driven checks of every primitive op in `ops` (one spec each, see op-specs.ts):
 * float64 gradcheck and gradgradcheck over 0-d, size-1, broadcast and view inputs, the
 * differentiable flag, and element-wise kernels against a naive broadcasting reference.
 */
import { describe, expect, it } from 'vitest';
import { apply, gradcheck, gradgradcheck, type OpName, ops, type Tensor, topologicalOrder } from '../src/index';
import { broadcastMap } from './helpers/naive';
import { sample } from './helpers/sample';
import { specs } from './op-specs';

const names = Object.keys(ops) as OpName[];

function usesOp(out: Tensor, name: OpName): boolean {
  return out.gradFn !== null && topologicalOrder([out.gradFn]).some((node) => node.op === ops[name]);
}

describe('the op table', () => {
  it('has a spec for every op and no spec for a missing op', () => {
    expect(Object.keys(specs).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s: the spec agrees with the op about differentiability', (name) => {
    expect(ops[name].differentiable).toBe(specs[name].differentiable);
  });
});

describe.each(names)('op %s', (name) => {
  const spec = specs[name];
  for (const c of spec.cases) {
    if (spec.differentiable) {
      it(`passes gradcheck on ${c.name}`, () => {
        const inputs = c.inputs();
        expect(usesOp(c.fn(...inputs), name)).toBe(true);
        expect(gradcheck(c.fn, inputs)).toBe(true);
      });
      if (spec.secondOrder) {
        it(`passes gradgradcheck on ${c.name}`, () => {
          expect(gradgradcheck(c.fn, c.inputs())).toBe(true);
        });
      }
    } else {
      it(`gives an output that does not require grad on ${c.name}`, () => {
        const out = c.fn(...c.inputs());
        expect(out.requiresGrad).toBe(false);
        expect(out.gradFn).toBeNull();
      });
    }
  }
});

const elementwise = names.filter((name) => specs[name].scalar !== undefined);

describe.each(elementwise)('kernel %s', (name) => {
  const spec = specs[name];
  const scalar = spec.scalar as (...v: number[]) => number;
  const op = ops[name];
  const arity = scalar.length;
  const params =
    name === 'powScalar'
      ? { exponent: 3 }
      : name === 'clamp' || name === 'inRange'
        ? { min: -0.5, max: 0.5 }
        : undefined;
  const run = (inputs: Tensor[]) => apply(op as typeof ops.add, inputs, params as undefined);

  it.each(['float64', 'float32'] as const)('matches the scalar reference over broadcast shapes in %s', (dtype) => {
    const shapes =
      arity === 1
        ? [[2, 3, 4]]
        : [
            [2, 1, 3],
            [4, 1],
          ];
    const inputs = shapes.map((s) => sample(s, { ...spec.domain, dtype, requiresGrad: false }));
    const expected = broadcastMap(
      inputs.map((t) => ({ shape: t.shape, values: Array.from(t.data) })),
      scalar,
    );
    const out = run(inputs);
    expect(out.dtype).toBe(dtype);
    expect(out).toBeAllClose(
      { shape: expected.shape, values: expected.values }.values.length
        ? reshapeNested(expected.values, expected.shape)
        : [],
      dtype === 'float64' ? { rtol: 1e-12, atol: 1e-14 } : { rtol: 1e-6, atol: 1e-7 },
    );
  });
});

/** Nested arrays of `values` in `shape` (for the matcher's shape check). */
function reshapeNested(values: readonly number[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [first, ...rest] = shape as [number, ...number[]];
  const step = values.length / first;
  return Array.from({ length: first }, (_, i) => reshapeNested(values.slice(i * step, (i + 1) * step), rest));
}
