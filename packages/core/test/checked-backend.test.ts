/**
 * @file The contract-checking backend catches each kind of contract violation (naming the kernel and
 * the problem), lets valid calls through to the cpu kernels unchanged, and is selectable by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  checkedBackend,
  cpuBackend,
  createCheckedBackend,
  getBackend,
  type StridedView,
  setBackend,
  tensor,
} from '../src/index';

const k = checkedBackend;
const f32 = (n: number, fill = 1) => new Float32Array(n).fill(fill);
const f64 = (n: number, fill = 1) => new Float64Array(n).fill(fill);
const view = (data: Float32Array | Float64Array, offset = 0, strides: number[] = [1]): StridedView => ({
  data,
  offset,
  strides,
});
const adamOptions = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  amsgrad: false,
  maximize: false,
};

describe('checked backend: each contract violation throws, naming the kernel', () => {
  it('buffer lengths that do not fit the counts', () => {
    expect(() => k.unary('neg', f32(3), f32(4), 0, 0)).toThrow(/unary 'neg': out has 4 elements but 3/);
    expect(() => k.reduce('sum', f32(5), 2, 3, 1, f32(2))).toThrow(/reduce 'sum': x has 5 elements but 6/);
    expect(() => k.matmul(f32(4), f32(4), f32(3), new Int32Array([0]), new Int32Array([0]), 2, 2, 2)).toThrow(
      /matmul: out has 3 elements but 4/,
    );
    expect(() => k.binaryCrossEntropy(f32(2, 0.5), f32(3), f32(2))).toThrow(/binaryCrossEntropy: y has 3/);
  });

  it('strided reads and writes outside their buffer', () => {
    // A view of shape [2, 3] with strides [3, 1] from offset 1 reaches element 6 of a 6-element buffer.
    expect(() => k.binary('add', view(f32(6), 1, [3, 1]), view(f32(6), 0, [3, 1]), f32(6), [2, 3])).toThrow(
      /binary 'add': a reads elements 1\.\.6 .* of a buffer of 6/,
    );
    // Negative strides may not walk before the start.
    expect(() => k.copy(view(f32(3), 1, [-1]), view(f32(3)), [3])).toThrow(/copy: source reads elements -1\.\.1/);
    expect(() => k.copy(view(f32(3)), view(f32(4), 2, [1]), [3])).toThrow(/copy: dest reads elements 2\.\.4/);
    expect(() => k.binary('mul', view(f32(3), 0, [1, 1]), view(f32(3)), f32(3), [3])).toThrow(
      /a has 2 strides for a shape of 1 dims/,
    );
    expect(() => k.matmul(f32(4), f32(4), f32(4), new Int32Array([1]), new Int32Array([0]), 2, 2, 2)).toThrow(
      /matmul: batch 0 reads a\[1\.\.5\) of a buffer of 4/,
    );
  });

  it('inconsistent dtypes', () => {
    expect(() => k.unary('exp', f32(2), f64(2), 0, 0)).toThrow(/unary 'exp': out is float64 but float32 is required/);
    expect(() => k.binary('add', view(f64(2)), view(f32(2)), f32(2), [2])).toThrow(/out is float32 but float64/);
    expect(() => k.gather(f64(3), [3], f32(1, 0), [1], 0, f32(1))).toThrow(/gather: out is float32 but float64/);
    expect(() => k.unary('neg', [1, 2] as unknown as Float32Array, f32(2), 0, 0)).toThrow(
      /x must be a Float32Array or Float64Array, got Array/,
    );
    expect(() => k.allocate('int8' as 'float32', 3)).toThrow(/allocate: unknown dtype "int8"/);
  });

  it('an output that shares bytes with an input', () => {
    const x = f32(4);
    expect(() => k.unary('neg', x, x, 0, 0)).toThrow(/unary 'neg': the output out overlaps the input x/);
    const buffer = new Float32Array(8);
    // out = buffer[2..6) overlaps a = buffer[0..4): same ArrayBuffer, overlapping byte ranges.
    expect(() => k.binary('add', view(buffer.subarray(0, 4)), view(f32(4)), buffer.subarray(2, 6), [4])).toThrow(
      /binary 'add': the output out overlaps the input a/,
    );
    expect(() => k.copy(view(buffer, 0, [1]), view(buffer, 3, [1]), [4])).toThrow(/copy: the output dest overlaps/);
    // Disjoint parts of one buffer are fine.
    expect(() => k.copy(view(buffer, 0, [1]), view(buffer, 4, [1]), [4])).not.toThrow();
  });

  it('counts, dims and indices that are not integers in range', () => {
    expect(() => k.reduce('sum', f32(6), 1.5, 4, 1, f32(2))).toThrow(
      /reduce 'sum': outer must be a non-negative integer, got 1.5/,
    );
    expect(() => k.reduce('max', f32(0), 2, 0, 1, f32(2))).toThrow(/cannot max over an axis of size 0/);
    expect(() => k.indexSelect(f32(3), new Float32Array([0, 3]), 1, 3, 1, f32(2))).toThrow(
      /indexSelect: index\[1\] is 3, not an integer in \[0, 3\)/,
    );
    expect(() => k.indexAdd(f32(1), new Float32Array([0.5]), 1, 3, 1, f32(3))).toThrow(/index\[0\] is 0.5/);
    expect(() => k.gather(f32(3), [3], f32(1, 0), [1], 1, f32(1))).toThrow(
      /gather: dim 1 is not a dim of a 1-d tensor/,
    );
    expect(() => k.scatterAdd(f32(1), new Float32Array([-1]), [1], 0, f32(3), [3])).toThrow(
      /scatterAdd: index\[0\] is -1/,
    );
    expect(() => k.binary('add', view(f32(2)), view(f32(2)), f32(2), [-2])).toThrow(
      /shape\[0\] must be a non-negative integer/,
    );
    expect(() => k.vectorNorm(f32(2), Number.NaN)).toThrow(/vectorNorm: the order p is NaN/);
  });

  it('fused optimizer steps: hyperparameters, one buffer of the right size per parameter, no aliasing', () => {
    const step = (overrides: Record<string, unknown>, options = adamOptions) =>
      k.adamStep(
        {
          params: [f32(3)],
          grads: [f32(3)],
          steps: [1],
          expAvgs: [f32(3, 0)],
          expAvgSqs: [f32(3, 0)],
          maxExpAvgSqs: null,
          ...overrides,
        },
        options,
      );
    expect(() => step({})).not.toThrow();
    expect(() => step({}, { ...adamOptions, lr: Number.NaN })).toThrow(/adamStep: lr must be a finite number, got NaN/);
    expect(() => step({}, { ...adamOptions, amsgrad: true })).toThrow(/maxExpAvgSqs is required/);
    expect(() => step({ expAvgs: [f32(2)] })).toThrow(/adamStep: expAvgs\[0\] has 2 elements but 3/);
    expect(() => step({ expAvgs: [] })).toThrow(/expAvgs has 0 buffers for 1 params/);
    expect(() => step({ grads: [f64(3)] })).toThrow(/grads\[0\] is float64 but float32/);
    expect(() => step({ steps: [0] })).toThrow(/steps\[0\] is 0/);
    const shared = f32(3, 0);
    expect(() => step({ expAvgs: [shared], expAvgSqs: [shared] })).toThrow(
      /adamStep: the output expAvgs\[0\] overlaps/,
    );
    const p = f32(3);
    expect(() => step({ params: [p], grads: [p] })).toThrow(/the output params\[0\] overlaps the input grads\[0\]/);
    expect(() =>
      k.sgdStep(
        { params: [f32(2)], grads: [f32(2)], steps: [1], momentumBuffers: null, fresh: [] },
        { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
      ),
    ).toThrow(/sgdStep: (1 params but 0 fresh flags|momentumBuffers is required)/);
    expect(() =>
      k.adagradStep(
        { params: [f32(2)], grads: [f32(2)], steps: [1], sums: [f32(2)] },
        { lr: Number.POSITIVE_INFINITY, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false },
      ),
    ).toThrow(/adagradStep: lr must be a finite number, got Infinity/);
  });
});

describe('checked backend: valid calls give the cpu results', () => {
  it('delegates element-wise, reductions and fused steps unchanged', () => {
    const x = new Float64Array([0.5, -2, 3]);
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    k.unary('tanh', x, a, 0, 0);
    cpuBackend.unary('tanh', x, b, 0, 0);
    expect(a).toEqual(b);
    const sums = [new Float64Array(1), new Float64Array(1)];
    k.reduce('sum', x, 1, 3, 1, sums[0] as Float64Array);
    expect(sums[0]?.[0]).toBe(1.5);
    const params = [new Float64Array([1, 2]), new Float64Array([1, 2])];
    const run = (backend: Backend, p: Float64Array) =>
      backend.rmspropStep(
        {
          params: [p],
          grads: [new Float64Array([0.1, -0.2])],
          steps: [1],
          squareAvgs: [new Float64Array(2)],
          momentumBuffers: [new Float64Array(2)],
          gradAvgs: [new Float64Array(2)],
        },
        { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0.1, momentum: 0.9, centered: true, maximize: false },
      );
    run(k, params[0] as Float64Array);
    run(cpuBackend, params[1] as Float64Array);
    expect(params[0]).toEqual(params[1]);
  });

  it('wraps any inner backend', () => {
    const calls: string[] = [];
    const spy = createCheckedBackend({
      ...cpuBackend,
      unary: (...args) => {
        calls.push('unary');
        cpuBackend.unary(...args);
      },
    });
    spy.unary('neg', f32(2), f32(2), 0, 0);
    expect(calls).toEqual(['unary']);
  });
});

describe('setBackend / getBackend', () => {
  const original = getBackend();
  afterEach(() => {
    setBackend(original);
  });

  it('accepts a name or a Backend object and returns the previous backend', () => {
    const previous = setBackend('checked');
    expect(previous).toBe(original);
    expect(getBackend().name).toBe('checked');
    expect(tensor([1, 2, 3]).mul(2).sum().item()).toBe(12);
    expect(setBackend('cpu').name).toBe('checked');
    expect(getBackend()).toBe(cpuBackend);
    setBackend(checkedBackend);
    expect(getBackend()).toBe(checkedBackend);
  });

  it('rejects unknown names, listing the known ones', () => {
    expect(() => setBackend('webgpu' as 'cpu')).toThrow(
      /unknown backend "webgpu"; the known backends are 'cpu', 'checked', 'wasm'/,
    );
    expect(() => setBackend(null as unknown as Backend)).toThrow(/expected a backend name/);
    expect(getBackend()).toBe(original);
  });

  it('runs this suite on the backend OPTIMGRAD_BACKEND names', () => {
    expect(getBackend().name).toBe(process.env.OPTIMGRAD_BACKEND ?? 'cpu');
  });

  it('reports an op whose kernel call breaks the contract, on the checked backend only', () => {
    setBackend('checked');
    const bad: Backend = createCheckedBackend({
      ...cpuBackend,
      allocate: (dtype, n) => cpuBackend.allocate(dtype, n + 1),
    });
    setBackend(bad);
    expect(() => tensor([1, 2]).add(1)).toThrow(/allocate: the allocated buffer has 3 elements but 2 are required/);
  });
});
