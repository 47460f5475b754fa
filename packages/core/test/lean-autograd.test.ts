/**
 * @file The fast paths of op recording and backward (see "Per-op overhead" in BACKEND.md): gradients are the
 * same with and without hooks, anomaly mode or createGraph; a gradient handed to a leaf without a copy is
 * never shared with another tensor; and the number of buffers a small-op chain allocates stays bounded
 * (counted through a backend that wraps the active one, so the assertion is deterministic, not timed).
 */
import { describe, expect, it } from 'vitest';
import { type Backend, detectAnomaly, getBackend, grad, noGrad, setBackend, type Tensor, tensor } from '../src/index';

/** Runs `f` on a backend that counts `allocate` calls and elements, then restores the active one. */
function countAllocations(f: () => void): { calls: number; elements: number } {
  const inner = getBackend();
  const counts = { calls: 0, elements: 0 };
  const counting: Backend = Object.create(inner, {
    allocate: {
      value: (dtype: Parameters<Backend['allocate']>[0], length: number) => {
        counts.calls++;
        counts.elements += length;
        return inner.allocate(dtype, length);
      },
    },
  });
  setBackend(counting);
  try {
    f();
  } finally {
    setBackend(inner);
  }
  return counts;
}

const start = [0.3, -1.2, 0.7, 2.5, -0.1, 0.05, 1.1, -2];

/** apps/bench's W3 chain: n × tanh(h·1.0001 + 0.001), summed. */
function smallChain(x: Tensor, n: number): Tensor {
  let h = x;
  for (let i = 0; i < n; i++) h = h.mul(1.0001).add(0.001).tanh();
  return h.sum();
}

/** apps/bench's W4 expression: sum(exp(a·b + a)). */
const largeExpression = (a: Tensor, b: Tensor) => a.mul(b).add(a).exp().sum();

const leaf = (values: number[], dtype: 'float32' | 'float64' = 'float32') =>
  tensor(values, { requiresGrad: true, dtype });

describe('fast paths give the same gradients as the general paths', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`a tanh chain (${dtype}): plain, with a hook, in anomaly mode and with createGraph`, () => {
      const plain = leaf(start, dtype);
      smallChain(plain, 20).backward();

      const hooked = leaf(start, dtype);
      hooked.registerHook(() => undefined);
      smallChain(hooked, 20).backward();

      const anomaly = leaf(start, dtype);
      detectAnomaly(() => smallChain(anomaly, 20).backward());

      const graphed = leaf(start, dtype);
      smallChain(graphed, 20).backward(undefined, { createGraph: true });

      const [viaGrad] = grad([smallChain(leaf(start, dtype), 20)], [leaf(start, dtype)], { allowUnused: true });
      expect(viaGrad).toBeNull(); // a different leaf: no gradient, and nothing accumulated

      const expected = Array.from(plain.grad?.data ?? []);
      expect(expected).toHaveLength(start.length);
      for (const t of [hooked, anomaly, graphed]) expect(Array.from(t.grad?.data ?? [])).toEqual(expected);
      expect(graphed.grad?.requiresGrad).toBe(true);
    });
  }

  it('sum(exp(a·b + a)): a gets two gradients, both paths agree with the formula', () => {
    const values = [0.5, -0.25, 1.5, 0];
    const other = [2, 0.5, -1, 3];
    const a = leaf(values, 'float64');
    const b = leaf(other, 'float64');
    largeExpression(a, b).backward();
    const e = values.map((v, i) => Math.exp(v * (other[i] as number) + v));
    expect(a.grad).toBeAllClose(e.map((v, i) => v * ((other[i] as number) + 1)));
    expect(b.grad).toBeAllClose(e.map((v, i) => v * (values[i] as number)));

    const a2 = leaf(values, 'float64');
    const b2 = leaf(other, 'float64');
    largeExpression(a2, b2).backward(undefined, { createGraph: true });
    expect(Array.from(a2.grad?.data ?? [])).toEqual(Array.from(a.grad?.data ?? []));
    expect(Array.from(b2.grad?.data ?? [])).toEqual(Array.from(b.grad?.data ?? []));
  });

  it('second derivatives through the rewritten tanh and sigmoid rules', () => {
    const x = leaf([0.3, -1.2, 2], 'float64');
    const [dy] = grad([x.tanh().sum()], [x], { createGraph: true });
    const [d2y] = grad([(dy as Tensor).sum()], [x]);
    const t = [0.3, -1.2, 2].map(Math.tanh);
    expect(dy).toBeAllClose(t.map((v) => 1 - v * v));
    expect(d2y).toBeAllClose(t.map((v) => -2 * v * (1 - v * v)));

    const s = [0.3, -1.2, 2].map((v) => 1 / (1 + Math.exp(-v)));
    const [ds] = grad([x.sigmoid().sum()], [x], { createGraph: true });
    const [d2s] = grad([(ds as Tensor).sum()], [x]);
    expect(ds).toBeAllClose(s.map((v) => v * (1 - v)));
    expect(d2s).toBeAllClose(s.map((v) => v * (1 - v) * (1 - 2 * v)));
  });

  it('a constant operand of mul, div, sub and pow gets no gradient, and the other input still does', () => {
    const x = leaf([1, 2, 4], 'float64');
    const c = tensor([3, 5, 2], { dtype: 'float64' });
    x.mul(c).add(x.div(c)).add(c.sub(x)).add(x.pow(c)).sum().backward();
    expect(x.grad).toBeAllClose([3 + 1 / 3 - 1 + 3 * 1, 5 + 1 / 5 - 1 + 5 * 2 ** 4, 2 + 1 / 2 - 1 + 2 * 4]);
    expect(c.grad).toBeNull();
  });
});

describe('gradients handed to leaves without a copy are never shared', () => {
  const mutate = (t: Tensor | null) => {
    (t as Tensor).data[0] = 1234;
  };

  it('add passes one gradient to both inputs: each leaf gets its own buffer', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    const c = tensor([5, 6]);
    a.add(b).mul(c).sum().backward();
    expect(a.grad?.data).not.toBe(b.grad?.data);
    mutate(a.grad);
    expect(Array.from(b.grad?.data ?? [])).toEqual([5, 6]);
  });

  it('a leaf used twice by one add gets the sum, not either operand', () => {
    const a = leaf([1, 2]);
    a.add(a)
      .mul(tensor([3, 4]))
      .sum()
      .backward();
    expect(Array.from(a.grad?.data ?? [])).toEqual([6, 8]);
  });

  it('a retained intermediate gradient and a leaf gradient do not alias', () => {
    const a = leaf([1, 2]);
    const h = a.add(1);
    h.retainGrad();
    h.mul(tensor([2, 3]))
      .sum()
      .backward();
    mutate(h.grad);
    expect(Array.from(a.grad?.data ?? [])).toEqual([2, 3]);
  });

  it('a gradient a hook kept is not the leaf gradient', () => {
    const a = leaf([1, 2]);
    const c = tensor([3, 4]); // needs no gradient, so add routes the hook's tensor to a alone
    let kept: Tensor | null = null;
    const h = a.add(c);
    h.registerHook((g) => {
      kept = g.mul(1);
      return kept;
    });
    h.mul(tensor([2, 3]))
      .sum()
      .backward();
    expect(a.grad).not.toBe(kept);
    mutate(kept);
    expect(Array.from(a.grad?.data ?? [])).toEqual([2, 3]);
  });

  it('the seed a user passes is never taken as a leaf gradient', () => {
    const a = leaf([1, 2]);
    const seed = tensor([7, 8]);
    a.backward(seed);
    mutate(a.grad);
    expect(Array.from(seed.data)).toEqual([7, 8]);
    const b = leaf([1, 2]);
    const s2 = tensor([1, 1]).mul(2); // made by an op, but before backward
    b.add(0).backward(s2);
    mutate(b.grad);
    expect(Array.from(s2.data)).toEqual([2, 2]);
  });

  it("a gradient accumulated over two backward passes is the sum, in the first pass's buffer", () => {
    const a = leaf([1, 2]);
    a.mul(tensor([2, 3]))
      .sum()
      .backward();
    const first = a.grad;
    a.mul(tensor([10, 10]))
      .sum()
      .backward();
    expect(a.grad).toBe(first);
    expect(Array.from(a.grad?.data ?? [])).toEqual([12, 13]);
  });
});

describe('allocations of a small-op chain', () => {
  it('stay within 9 buffers per tanh(x·c + d) step, forward and backward (3 ops)', () => {
    const x = leaf(Array.from({ length: 16 }, (_, i) => Math.sin(i)));
    const n = 50;
    smallChain(x, n).backward(); // warm-up: the constants backward rules share are made here
    x.grad = null;
    const counted = countAllocations(() => smallChain(x, n).backward());
    // Forward: the 2 constants (fresh leaves of the graph) and 3 outputs. Backward: tanh's 1 - out² (a square
    // and a subtraction from a shared constant) times the upstream gradient, and mul's g·c; none for the
    // constants, and x's gradient is not copied.
    expect(counted.calls).toBeLessThanOrEqual(9 * n + 4);
    expect(counted.elements).toBeLessThanOrEqual((7 * 16 + 2) * n + 4);
  });

  it('make no constant tensor per op when nothing is recorded', () => {
    const x = tensor([1, 2, 3]);
    noGrad(() => x.mul(3).add(1).sub(2)); // warm-up: the first use makes each constant
    const counted = countAllocations(() => noGrad(() => x.mul(3).add(1).sub(2)));
    expect(counted).toEqual({ calls: 3, elements: 9 });
    const y = leaf([1, 2, 3]);
    const recorded = y.mul(3);
    expect(recorded.gradFn?.inputs[1]).not.toBe(y.mul(3).gradFn?.inputs[1]); // graph constants stay distinct
    expect(noGrad(() => x.mul(-0)).data[0]).toBe(-0);
    expect(Object.is(noGrad(() => x.mul(0)).data[0], 0)).toBe(true);
  });

  it('sum(exp(a·b + a)) allocates 7 buffers of the input size, forward and backward', () => {
    const size = 1000;
    const a = leaf(Array.from({ length: size }, (_, i) => Math.sin(i)));
    const b = leaf(Array.from({ length: size }, (_, i) => Math.cos(i)));
    const counted = countAllocations(() => largeExpression(a, b).backward());
    // Forward mul, add, exp; backward exp's g·out, mul's g·b and g·a, and a's two gradients added.
    expect(Math.floor(counted.elements / size)).toBeLessThanOrEqual(7);
  });
});

describe('un-broadcasting', () => {
  it('a bias broadcast over a batch gets a summed gradient of its own shape, in its own buffer', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const bias = leaf([0.5, -1, 2]);
    const before = countAllocations(() => x.add(bias).mul(x).sum().backward());
    expect(Array.from(bias.grad?.data ?? [])).toEqual([5, 7, 9]);
    expect(bias.grad?.shape).toEqual([3]);
    expect(bias.grad?.isContiguous()).toBe(true);
    // Forward add, mul, sum and the seed; backward g·x and the bias sum, with no copy for the leaf.
    expect(before.calls).toBeLessThanOrEqual(6);
  });
});

describe('matmul backward', () => {
  it('computes no product for an input that needs no gradient', () => {
    const rows = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const weights = [
      [0.5, -1],
      [2, 1],
    ];
    const run = (dataNeedsGrad: boolean) => {
      const x = tensor(rows, { requiresGrad: dataNeedsGrad });
      const w = tensor(weights, { requiresGrad: true });
      const counted = countAllocations(() => x.matmul(w).sum().backward());
      return { counted, w, x };
    };
    const withData = run(true);
    const withoutData = run(false);
    expect(withoutData.x.grad).toBeNull();
    expect(Array.from(withoutData.w.grad?.data ?? [])).toEqual([9, 9, 12, 12]);
    expect(Array.from(withData.w.grad?.data ?? [])).toEqual([9, 9, 12, 12]);
    // g·wᵀ (and the copy of wᵀ it reads) is skipped; the rest is the same.
    expect(withoutData.counted.calls).toBeLessThanOrEqual(withData.counted.calls - 2);
  });
});
