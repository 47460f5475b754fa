import { describe, expect, it } from 'vitest';
import { grad, gradcheck, tensor } from '../src/index';

describe('quick start', () => {
  it('computes z = x*y + x**2 gradients', () => {
    const x = tensor([2.0], { requiresGrad: true });
    const y = tensor([3.0], { requiresGrad: true });
    const z = x.mul(y).add(x.pow(2));
    z.backward();
    expect(x.grad?.item()).toBe(7);
    expect(y.grad?.item()).toBe(2);
  });
  it('second derivative of x^3', () => {
    const x = tensor(2, { dtype: 'float64', requiresGrad: true });
    const [dx] = grad(x.pow(3), [x], { createGraph: true });
    const [d2x] = grad(dx!, [x]);
    expect(dx!.item()).toBe(12);
    expect(d2x!.item()).toBe(12);
  });
  it('gradchecks a matmul chain', () => {
    const a = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const b = tensor(
      [
        [0.1, 0.2],
        [0.3, -0.4],
        [0.5, 0.6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(gradcheck((p, q) => p.matmul(q).tanh().sum(1).logsumexp(0), [a, b])).toBe(true);
    expect(gradcheck((p) => p.softmax(1).mul(p).max(1), [a])).toBe(true);
  });
});
