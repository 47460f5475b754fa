/**
 * @file Higher-order derivatives through grad(..., { createGraph: true }): closed forms and a
 * Hessian-vector product of a small MLP loss checked against finite differences of its gradient.
 */
import { describe, expect, it } from 'vitest';
import { grad, noGrad, type Tensor, tensor } from '../src/index';
import { sample } from './helpers/sample';

describe('second derivatives', () => {
  it('d²(x³)/dx² = 6x at several points, element-wise', () => {
    const x = tensor([-2, -0.5, 0, 1, 3], { dtype: 'float64', requiresGrad: true });
    const [dx] = grad(x.pow(3).sum(), [x], { createGraph: true });
    expect(dx).toBeAllClose([12, 0.75, 0, 3, 27]);
    const [d2x] = grad((dx as Tensor).sum(), [x]);
    expect(d2x).toBeAllClose([-12, -3, 0, 6, 18]);
  });

  it('third derivative of sin is -cos', () => {
    const x = tensor(0.7, { dtype: 'float64', requiresGrad: true });
    const [d1] = grad(x.sin(), [x], { createGraph: true });
    const [d2] = grad(d1 as Tensor, [x], { createGraph: true });
    const [d3] = grad(d2 as Tensor, [x]);
    expect(d3?.item()).toBeCloseTo(-Math.cos(0.7), 12);
  });

  it('mixed partial d²(x²y)/dxdy = 2x', () => {
    const x = tensor(1.5, { dtype: 'float64', requiresGrad: true });
    const y = tensor(-2, { dtype: 'float64', requiresGrad: true });
    const [dx] = grad(x.square().mul(y), [x], { createGraph: true });
    const [dxy] = grad(dx as Tensor, [y]);
    expect(dxy?.item()).toBe(3);
  });

  it('backward with createGraph leaves a differentiable .grad', () => {
    const x = tensor(2, { dtype: 'float64', requiresGrad: true });
    x.pow(3).backward(undefined, { createGraph: true });
    const g = x.grad as Tensor;
    expect(g.requiresGrad).toBe(true);
    const [h] = grad(g, [x]);
    expect(h?.item()).toBe(12);
  });
});

describe('Hessian-vector product of an MLP loss', () => {
  const loss = (params: readonly Tensor[], x: Tensor, y: Tensor) => {
    const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
    const h = x.matmul(w1).add(b1).tanh();
    return h.matmul(w2).add(b2).sub(y).square().mean();
  };

  it('matches central differences of the gradient along the vector', () => {
    const x = sample([5, 3], { requiresGrad: false });
    const y = sample([5, 2], { requiresGrad: false });
    const params = [sample([3, 4]), sample([4]), sample([4, 2]), sample([2])];
    const vectors = params.map((p) => sample(p.shape, { requiresGrad: false }));

    const grads = grad(loss(params, x, y), params, { createGraph: true });
    const dot = grads.map((g, i) => (g as Tensor).mul(vectors[i] as Tensor).sum()).reduce((a, b) => a.add(b));
    const hvp = grad(dot, params);

    const eps = 1e-5;
    const gradAt = (sign: number) => {
      const moved = params.map((p, i) => {
        const q = noGrad(() => p.add((vectors[i] as Tensor).mul(sign * eps)));
        q.requiresGrad = true;
        return q;
      });
      return grad(loss(moved, x, y), moved);
    };
    const plus = gradAt(1);
    const minus = gradAt(-1);
    hvp.forEach((h, i) => {
      const fd = noGrad(() => (plus[i] as Tensor).sub(minus[i] as Tensor).div(2 * eps));
      expect(h).toBeAllClose(fd, { rtol: 1e-6, atol: 1e-8 });
    });
  });
});
