/**
 * @file Behaviour of the backward engine: accumulation, fan-out, deep chains, retainGraph,
 * freed graphs, version counters and in-place ops, grad modes, hooks, grad(), gradFn and anomaly mode.
 */
import { describe, expect, it } from 'vitest';
import {
  AnomalyError,
  detectAnomaly,
  enableGrad,
  grad,
  incrementVersion,
  isGradEnabled,
  isRecordingAllOps,
  noGrad,
  recordAllOps,
  type Tensor,
  tensor,
} from '../src/index';

const f64 = (data: number | number[], requiresGrad = true) => tensor(data, { dtype: 'float64', requiresGrad });

describe('gradient accumulation', () => {
  it('accumulates gradient when a tensor is used twice in one expression', () => {
    const x = f64(3);
    x.mul(x).backward();
    expect(x.grad?.item()).toBe(6);
  });

  it('sums the gradients of every path when a value fans out to several consumers', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const z = y.exp().sum().add(y.square().sum()).add(y.sum());
    z.backward();
    const expected = [1, 2].map((v) => 2 * Math.exp(2 * v) + 2 * 2 * (2 * v) + 2);
    expect(x.grad).toBeAllClose(expected);
  });

  it('adds the gradients of separate backward calls into .grad', () => {
    const x = f64([1, 2]);
    x.mul(3).sum().backward();
    x.square().sum().backward();
    expect(x.grad).toBeAllClose([3 + 2, 3 + 4]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('does not let the accumulated .grad alias a gradient shared with another tensor', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    a.add(b).sum().backward();
    (a.grad as Tensor).add_(10);
    expect(b.grad).toBeAllClose([1, 1]);
  });

  it('runs a 100,000-op deep chain without overflowing the stack', () => {
    const x = f64(1);
    let y: Tensor = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-5);
    y.backward();
    expect(x.grad?.item()).toBe(1);
    expect(y.item()).toBeCloseTo(2, 9);
  });
});

describe('graph lifetime', () => {
  it('backpropagates twice through a graph kept with retainGraph', () => {
    const x = f64(2);
    const y = x.pow(3);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad?.item()).toBe(24);
  });

  it('throws a clear error on a second backward through a freed graph', () => {
    const x = f64(2);
    const y = x.mul(x).exp();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/);
  });
});

describe('in-place operations', () => {
  it('throws PyTorch’s error when a tensor saved for backward was changed in place', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const z = y.sin();
    y.add_(1);
    expect(() => z.sum().backward()).toThrow(
      /one of the tensors needed for gradient computation has been modified by an in-place operation: input 0 of 'sin'/,
    );
  });

  it('checks only what the needed gradients read: y.mul(3) or y.div(c) survive y.add_(1), as in PyTorch', () => {
    // d(a*b)/da reads b only, d(a/b)/da reads b only, d(A@B)/dB reads A only.
    const x = f64([1, 2]);
    const y = x.mul(2);
    const z = y.mul(3).add(y.div(tensor([4, 5], { dtype: 'float64' })));
    y.add_(1);
    z.sum().backward();
    expect(x.grad).toBeAllClose([2 * 3 + 2 / 4, 2 * 3 + 2 / 5]);

    // x ** 2 as a tensor power: the gradient of the base reads base and exponent, not the output.
    const base = f64([1.5]);
    const power = base.pow(tensor([2], { dtype: 'float64' }));
    const consumer = power.mul(2);
    power.add_(1);
    consumer.sum().backward();
    expect(base.grad).toBeAllClose([2 * 2 * 1.5]);

    // relu reads its output, as PyTorch's threshold_backward does, so its input may change afterwards.
    const leaf = f64([-1, 2]);
    const pre = leaf.mul(1);
    const activated = pre.relu();
    pre.mul_(0);
    activated.sum().backward();
    expect(leaf.grad).toBeAllClose([0, 1]);

    const w = tensor([[1], [2]], { dtype: 'float64', requiresGrad: true });
    const h = w.mul(1);
    const out = tensor([[3, 4]], { dtype: 'float64' }).matmul(h);
    h.add_(1); // the matmul's second input, needed only for the gradient of the (constant) first
    out.sum().backward();
    expect(w.grad).toBeAllClose([[3], [4]]);
  });

  it('still throws when a changed input is read by a needed gradient (y.mul(x), 3 / y, constant @ W)', () => {
    const message = /has been modified by an in-place operation: input (0|1) of '(mul|div|matmul)'/;
    const x = f64([1, 2]);
    const y = x.mul(2);
    const both = y.mul(x);
    const quotient = tensor([3, 3], { dtype: 'float64' }).div(y);
    y.add_(1);
    expect(() => both.sum().backward()).toThrow(message);
    expect(() => quotient.sum().backward()).toThrow(message);
    const a = tensor([[1, 2]], { dtype: 'float64' });
    const product = a.matmul(tensor([[1], [1]], { dtype: 'float64', requiresGrad: true }));
    a.mul_(2);
    expect(() => product.sum().backward()).toThrow(message);
  });

  it('lets an op that saved only its output survive an in-place change of its input, as in PyTorch', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const z = y.exp();
    y.add_(1);
    z.sum().backward();
    expect(x.grad).toBeAllClose([2 * Math.exp(2), 2 * Math.exp(4)]);
  });

  it('throws when an in-place op changes a leaf that requires grad', () => {
    const x = f64([1, 2]);
    expect(() => x.add_(1)).toThrow(/add_: a leaf tensor that requires grad cannot be changed in place/);
  });

  it('allows in-place updates of leaves inside noGrad, bumping nothing that backward needs', () => {
    const x = f64([1, 2]);
    noGrad(() => x.sub_(x.mul(0.5)));
    expect(x).toBeAllClose([0.5, 1]);
    expect(x.isLeaf).toBe(true);
  });

  it('gives the right gradient for an in-place op inside a graph (y = x * 2; y.add_(1))', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    y.add_(1);
    y.square().sum().backward();
    expect(y).toBeAllClose([3, 5]);
    expect(x.grad).toBeAllClose([2 * 3 * 2, 2 * 5 * 2]);
    expect(y.gradFn?.name).toBe('add');
  });

  it('gives the right gradient for a chain of in-place ops whose rules need the old value', () => {
    const x = f64([1, 2]);
    const y = x.add(0);
    y.mul_(y);
    y.mul_(3);
    y.sum().backward();
    expect(x.grad).toBeAllClose([6, 12]);
  });

  it('zero_ inside a graph keeps the tensor in the graph with a zero gradient to the old value', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    y.zero_();
    expect(y.requiresGrad).toBe(true);
    expect(y.toArray()).toEqual([0, 0]);
    y.add(x).sum().backward();
    expect(x.grad).toBeAllClose([1, 1]);
  });
});

describe('grad mode', () => {
  it('records no graph inside noGrad and records again inside enableGrad', () => {
    const x = f64(1);
    const outside = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const y = x.mul(2);
      const z = enableGrad(() => x.mul(2));
      return [y, z] as const;
    });
    expect(isGradEnabled()).toBe(true);
    expect(outside[0].requiresGrad).toBe(false);
    expect(outside[0].gradFn).toBeNull();
    expect(outside[1].gradFn?.name).toBe('mul');
  });

  it('restores grad mode when the function throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach shares storage but leaves the graph', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();
    noGrad(() => y.add_(1));
    expect(d).toBeAllClose([3, 5]);
  });
});

describe('retainGrad and hooks', () => {
  it('keeps .grad of a non-leaf only after retainGrad', () => {
    const x = f64([1, 2]);
    const y = x.mul(3);
    const w = x.mul(4);
    y.retainGrad();
    y.add(w).square().sum().backward();
    expect(y.grad).toBeAllClose([2 * 7, 2 * 14]);
    expect(w.grad).toBeNull();
  });

  it('lets a hook replace the gradient and stops calling it after remove()', () => {
    const x = f64([1, 2]);
    const seen: number[][] = [];
    const handle = x.registerHook((g) => {
      seen.push(Array.from(g.data));
      return g.mul(10);
    });
    x.sum().backward();
    expect(x.grad).toBeAllClose([10, 10]);
    handle.remove();
    x.zeroGrad();
    x.sum().backward();
    expect(x.grad).toBeAllClose([1, 1]);
    expect(seen).toEqual([[1, 1]]);
  });

  it('applies a hook on a non-leaf to the gradient flowing further back', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    y.registerHook((g) => g.mul(0.5));
    y.sum().backward();
    expect(x.grad).toBeAllClose([1, 1]);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = f64([1, 2]);
    const [g] = grad(x.square().sum(), [x]);
    expect(g).toBeAllClose([2, 4]);
    expect(x.grad).toBeNull();
  });

  it('with createGraph returns a differentiable gradient', () => {
    const x = f64(1.5);
    const [g] = grad(x.pow(4), [x], { createGraph: true });
    expect(g?.requiresGrad).toBe(true);
    const [h] = grad(g as Tensor, [x]);
    expect(h?.item()).toBeCloseTo(12 * 1.5 ** 2, 12);
  });

  it('throws for an unused input unless allowUnused, then returns null', () => {
    const x = f64(1);
    const unused = f64(2);
    expect(() => grad(x.mul(2), [x, unused])).toThrow(/input 1 .* was not used.*allowUnused/);
    const [gx, gu] = grad(x.mul(2), [x, unused], { allowUnused: true });
    expect(gx?.item()).toBe(2);
    expect(gu).toBeNull();
  });

  it('uses gradOutputs for a non-scalar output', () => {
    const x = f64([1, 2]);
    const [g] = grad(x.square(), [x], { gradOutputs: [f64([1, -1], false)] });
    expect(g).toBeAllClose([2, -4]);
  });
});

describe('gradFn', () => {
  it('exposes the op name, its inputs, formula and no gradFn on leaves', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    const c = a.mul(b);
    expect(a.gradFn).toBeNull();
    expect(a.isLeaf).toBe(true);
    expect(c.isLeaf).toBe(false);
    expect(c.gradFn?.name).toBe('mul');
    expect(c.gradFn?.inputs).toEqual([a, b]);
    expect(c.gradFn?.formula[0]).toBe('d(a*b)/da = b');
    const d = c.sum();
    expect(d.gradFn?.inputs[0]).toBe(c);
  });
});

describe('anomaly mode', () => {
  it('names the op whose forward first produced NaN from finite inputs', () => {
    const x = f64([-1, 4]);
    let error: unknown;
    detectAnomaly(() => {
      try {
        x.mul(2).sqrt().add(1);
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(AnomalyError);
    expect((error as AnomalyError).op).toBe('sqrt');
    expect((error as AnomalyError).phase).toBe('forward');
    expect((error as Error).message).toMatch(/forward of 'sqrt' produced NaN/);
  });

  it('names the op whose backward first produced Inf from a finite upstream gradient', () => {
    const x = f64([0, 4]);
    const y = x.sqrt().sum();
    let error: unknown;
    detectAnomaly(() => {
      try {
        y.backward();
      } catch (e) {
        error = e;
      }
    });
    expect((error as AnomalyError).op).toBe('sqrt');
    expect((error as AnomalyError).phase).toBe('backward');
    expect((error as Error).message).toMatch(/backward of 'sqrt' produced Infinity/);
  });

  it('does nothing outside detectAnomaly', () => {
    const x = f64([-1]);
    expect(Number.isNaN(x.sqrt().item())).toBe(true);
  });
});

describe('dtype of gradients', () => {
  it('casts a gradient of another dtype to the output dtype, also when the output is a leaf (as torch)', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x.backward(tensor([1, 1]));
    expect(x.grad?.dtype).toBe('float64');
    const [g] = grad(x, [x], { gradOutputs: [tensor([3, 4])] });
    expect(g?.dtype).toBe('float64');
    expect(g?.toArray()).toEqual([3, 4]);
  });

  it('casts a gradient back to each input’s dtype across to()', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.to('float64').square().sum();
    y.backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(x.grad).toBeAllClose([2, 4]);
  });

  it('promotes float32 with float64 to float64 and sends each input a gradient of its own dtype', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = f64([3, 4]);
    const c = a.mul(b);
    expect(c.dtype).toBe('float64');
    c.sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expect(b.grad?.dtype).toBe('float64');
  });
});

describe('in-place on an op output saved for backward', () => {
  it('throws when the output an op saved (exp) is changed in place, as PyTorch does', () => {
    const x = f64([1, 2]);
    const z = x.exp();
    z.add_(1);
    expect(() => z.sum().backward()).toThrow(/its output of 'exp' .* is at version 1; expected version 0/);
  });
});

describe('PyTorch details', () => {
  it('runs backward twice through a graph whose ops saved no tensors, as PyTorch does', () => {
    const x = f64([1, 2]);
    const y = x.add(1).sum();
    y.backward();
    y.backward();
    expect(x.grad).toBeAllClose([2, 2]);
  });
});

describe('copy_', () => {
  it('copies a leaf that requires grad into a plain tensor and sends the gradient back to the source', () => {
    const x = f64([1, 2]);
    const y = tensor([0, 0], { dtype: 'float64' });
    y.copy_(x);
    expect(y.gradFn?.name).toBe('clone');
    y.mul(3).sum().backward();
    expect(x.grad).toBeAllClose([3, 3]);
  });

  it('copies a non-leaf without disturbing the source’s own graph node', () => {
    const x = f64([1, 2]);
    const s = x.mul(2);
    const y = tensor([[0, 0]], { dtype: 'float64' }).mul(1);
    y.copy_(s);
    expect(s.gradFn?.output).toBe(s);
    y.sum().add(s.sum()).backward();
    expect(x.grad).toBeAllClose([4, 4]);
  });

  it('copies with broadcasting and dtype conversion inside noGrad', () => {
    const y = tensor([
      [0, 0],
      [0, 0],
    ]);
    noGrad(() => y.copy_(tensor([1, 2], { dtype: 'float64' })));
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});

describe('history before an in-place op', () => {
  it('keeps the gradient of an op that used a tensor before it was changed in place', () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    const z = y.add(1);
    y.mul_(3);
    z.sum().backward();
    expect(x.grad).toBeAllClose([2, 2]);
  });

  it('does not send gradient into a tensor that started requiring grad after it was used', () => {
    const w = f64([1, 1]);
    const y = tensor([5, 7], { dtype: 'float64' });
    const z = y.add(w);
    y.copy_(f64([1, 2]));
    z.sum().backward();
    expect(w.grad).toBeAllClose([1, 1]);
    expect(y.grad).toBeNull();
  });
});

describe('in-place on views inside the graph', () => {
  it('changes the base and gives the gradient PyTorch gives (y[0].mul_(3))', () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(2);
    y.slice(0, 0, 1).mul_(3);
    expect(y).toBeAllClose([6, 4, 6]);
    expect(y.gradFn?.name).toBe('viewScatter');
    y.sum().backward();
    expect(x.grad).toBeAllClose([6, 2, 2]);
  });

  it('zero_ on a view stops the gradient at the zeroed elements of the base', () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(2);
    y.slice(0, 0, 1).zero_();
    y.sum().backward();
    expect(y).toBeAllClose([0, 4, 6]);
    expect(x.grad).toBeAllClose([0, 2, 2]);
  });

  it('refuses a view of a leaf that requires grad, naming noGrad as the fix', () => {
    const x = f64([1, 2, 3]);
    expect(() => x.slice(0, 1).add_(1)).toThrow(
      /add_: a view of a leaf tensor that requires grad cannot be changed in place/,
    );
  });

  it('refuses an expanded view whose elements share memory', () => {
    const y = f64([1]).mul(2);
    expect(() => y.expand(3).add_(1)).toThrow(
      /add_: unsupported operation: more than one element of the written-to tensor \(shape \[3\], strides \[0\]\) refers to a single memory location; clone\(\)/,
    );
  });

  it('still throws the version error when the base was saved for backward', () => {
    const x = f64([1, 2]);
    const y = x.exp();
    y.slice(0, 0, 1).mul_(2);
    expect(() => y.sum().backward()).toThrow(/its output of 'exp'/);
  });
});

describe('recordAllOps', () => {
  it('records comparisons and other ops without a derivative when asked, and backward gives them no gradient', () => {
    const x = tensor([-1, 2], { requiresGrad: true });
    const plain = x.gt(0).mul(x);
    expect(plain.gradFn?.inputs[0]?.gradFn).toBeNull();
    const recorded = recordAllOps(() => x.gt(0).mul(x));
    const mask = recorded.gradFn?.inputs[0];
    expect(mask?.gradFn?.name).toBe('gt');
    expect(mask?.requiresGrad).toBe(true);
    recorded.sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 1]);
    expect(isRecordingAllOps()).toBe(false);
  });
});

describe('incrementVersion', () => {
  it('makes backward refuse a saved tensor whose data was written directly', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(w).sum();
    (w.data as Float32Array)[0] = 5;
    incrementVersion(w);
    expect(() => y.backward()).toThrow(/modified by an in-place operation/);
  });
});
