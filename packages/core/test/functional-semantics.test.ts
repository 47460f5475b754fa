/**
 * @file The functional API's semantics beyond the values: result nesting for array inputs and outputs,
 * strict mode's errors (PyTorch's cases, messages adapted), createGraph, and argument checks.
 */
import { describe, expect, it } from 'vitest';
import { grad, hessian, hvp, jacobian, jvp, type Tensor, tensor, vhp, vjp } from '../src/index';

const f64 = (data: number | number[], requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad });

describe('result nesting', () => {
  it('gives jacobian [i][j] for array outputs and inputs, dropping a level where one is a Tensor', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4, 5]);
    const both = jacobian((a, b) => [a.sum(), b.mul(2)], [x, y]);
    expect(both.map((row) => row.map((t) => t.shape))).toEqual([
      [[2], [3]],
      [
        [3, 2],
        [3, 3],
      ],
    ]);
    expect(jacobian((a) => [a, a.sum()], x).map((t) => t.shape)).toEqual([[2, 2], [2]]);
    expect(jacobian((a, b) => a.sum().add(b.sum()), [x, y]).map((t) => t.shape)).toEqual([[2], [3]]);
    expect(jacobian((a) => a, x)).toBeAllClose([
      [1, 0],
      [0, 1],
    ]);
  });

  it('gives hessian [i][j] with shapes [...inputs[i].shape, ...inputs[j].shape]', () => {
    const h = hessian((a, b) => a.mul(b.sum()).sum(), [f64([1, 2]), f64([3])]);
    expect(h.map((row) => row.map((t) => t.shape))).toEqual([
      [
        [2, 2],
        [2, 1],
      ],
      [
        [1, 2],
        [1, 1],
      ],
    ]);
    expect(h[0]?.[1]).toBeAllClose([[1], [1]]);
  });

  it('gives a zero-size jacobian for a zero-size output', () => {
    const j = jacobian((a) => a.reshape(-1).narrow(0, 0, 0), f64([1, 2]));
    expect(j.shape).toEqual([0, 2]);
  });

  it('omits v for a single-element output in vjp and a single-element input in jvp, hvp and vhp', () => {
    expect(vjp((a) => a.square().sum(), f64([1, 2]))[1]).toBeAllClose([2, 4]);
    expect(jvp((a) => a.mul(f64([1, 2])), f64(3))[1]).toBeAllClose([1, 2]);
    expect(hvp((a) => a.pow(3), f64(2))[1]).toBeAllClose(12);
    expect(vhp((a) => a.pow(3), f64(2))[1]).toBeAllClose(12);
  });
});

describe('strict mode', () => {
  const x = () => f64([1, 2]);
  const y = () => f64([3, 4]);

  it('returns zeros for an input an output does not depend on, and throws in strict mode', () => {
    const f = (a: Tensor, _b: Tensor) => a.square();
    expect(jacobian(f, [x(), y()])[1]).toBeAllClose([
      [0, 0],
      [0, 0],
    ]);
    expect(() => jacobian(f, [x(), y()], { strict: true })).toThrow(
      'jacobian: output 0 of the function is independent of input 1, which strict mode does not allow',
    );
    expect(() => vjp(f, [x(), y()], f64([1, 1]), { strict: true })).toThrow(
      'vjp: the output of the function is independent of input 1',
    );
    expect(() => jvp(f, [x(), y()], [f64([1, 1]), f64([1, 1])], { strict: true })).toThrow(
      'jvp: the output of the function is independent of input 1',
    );
  });

  it('throws for an output that does not require grad', () => {
    expect(jacobian(() => f64([1, 2]), x())).toBeAllClose([
      [0, 0],
      [0, 0],
    ]);
    expect(() => jacobian(() => f64([1, 2]), x(), { strict: true })).toThrow(
      'jacobian: output 0 of the function does not require grad',
    );
  });

  it('throws for a linear function in hessian, hvp and vhp (the Jacobian is constant)', () => {
    const linear = (a: Tensor) => a.mul(3).sum();
    expect(hessian(linear, x())).toBeAllClose([
      [0, 0],
      [0, 0],
    ]);
    expect(hvp(linear, x(), f64([1, 1]))[1]).toBeAllClose([0, 0]);
    for (const run of [
      () => hessian(linear, x(), { strict: true }),
      () => hvp(linear, x(), f64([1, 1]), { strict: true }),
      () => vhp(linear, x(), f64([1, 1]), { strict: true }),
    ]) {
      expect(run).toThrow('the Jacobian with respect to input 0 turned out independent of the inputs');
    }
  });

  it('throws with createGraph when a derivative cannot be differentiated again', () => {
    const linear = (a: Tensor) => a.mul(3);
    expect(() => jacobian(linear, x(), { strict: true, createGraph: true })).toThrow(
      'jacobian: the Jacobian of output 0 is independent of input 0, which strict mode does not allow with createGraph: true',
    );
    expect(() => vjp(linear, x(), f64([1, 1]), { strict: true, createGraph: true })).toThrow(
      'vjp: the Jacobian of the function is independent of input 0',
    );
    // Without createGraph, a linear function is fine in strict mode.
    expect(jacobian(linear, x(), { strict: true })).toBeAllClose([
      [3, 0],
      [0, 3],
    ]);
  });
});

describe('createGraph', () => {
  it('detaches results by default and keeps them differentiable with createGraph', () => {
    const x = f64([0.5, -1], true);
    const cube = (a: Tensor) => a.pow(3).sum();
    const plain = hessian(cube, x);
    expect(plain.requiresGrad).toBe(false);
    expect(vjp(cube, x)[1].requiresGrad).toBe(false);
    const kept = hessian(cube, x, { createGraph: true });
    expect(kept.requiresGrad).toBe(true);
    // d/dx of sum(H) = d/dx of sum_i 6 x_i = 6 per element: a third derivative through hessian.
    expect(grad(kept.sum(), [x])[0]).toBeAllClose([6, 6]);
  });

  it('keeps the graph of jvp, hvp and vhp products', () => {
    const x = f64([0.5, -1], true);
    const [, t] = jvp((a) => a.pow(3), x, f64([1, 1]), { createGraph: true });
    expect(grad(t.sum(), [x])[0]).toBeAllClose([3, -6]); // d/dx of 3x² = 6x
    const [, p] = hvp((a) => a.pow(4).sum(), x, f64([1, 0]), { createGraph: true });
    expect(grad(p.sum(), [x])[0]).toBeAllClose([12, 0]); // d/dx of 12x² (first element) = 24x
  });

  it('does not change the inputs or their .grad', () => {
    const x = f64([1, 2], true);
    jacobian((a) => a.square(), x);
    vjp((a) => a.square().sum(), x);
    expect(x.grad).toBeNull();
    expect(x).toBeAllClose([1, 2]);
  });
});

describe('argument checks', () => {
  it('names the function and the wrong argument', () => {
    expect(() => jacobian((a) => a, 3 as unknown as Tensor)).toThrow(
      'jacobian: the inputs must be a Tensor or an array of Tensors, but got a number',
    );
    expect(() => jacobian((a) => a, [f64(1), 2] as unknown as Tensor[])).toThrow(
      'jacobian: the inputs must be a Tensor or an array of Tensors, but the value at index 1 is a number',
    );
    expect(() => jacobian(() => 1 as unknown as Tensor, f64(1))).toThrow(
      'jacobian: the outputs of the function must be a Tensor or an array of Tensors',
    );
  });

  it('checks hessian has one single-element output', () => {
    expect(() => hessian((a) => a, f64([1, 2]))).toThrow(
      'hessian: the function should return a tensor with a single element, but it returned shape [2]',
    );
    expect(() => hessian((a) => [a as Tensor] as unknown as Tensor, f64(1))).toThrow(
      'hessian: the function should return a single Tensor, not an array',
    );
  });

  it('checks v against the outputs (vjp) or the inputs (jvp, hvp, vhp)', () => {
    const x = f64([1, 2]);
    expect(() => vjp((a) => a.square(), x)).toThrow(
      "vjp: v can only be omitted when the function's output is a single Tensor with a single element",
    );
    expect(() => vjp((a) => a.square(), x, f64([1, 2, 3]))).toThrow('vjp: v has shape [3] but should have shape [2]');
    expect(() => jvp((a, b) => a.add(b), [x, x], [f64([1, 2])])).toThrow(
      'jvp: v is an array of the wrong length: it should have 2 tensors but has 1',
    );
    expect(() => hvp((a, b) => a.mul(b).sum(), [x, x], [x, f64([1])])).toThrow(
      'hvp: entry 1 of v has shape [1] but should have shape [2]',
    );
    expect(() => vhp((a) => a.square().sum(), x)).toThrow(
      'vhp: v can only be omitted when the input is a single Tensor with a single element',
    );
  });
});
