import { gradcheck, gradgradcheck, type NestedArray, type Tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  elu,
  gelu,
  leakyRelu,
  logSoftmax,
  relu,
  sigmoid,
  silu,
  softmax,
  softplus,
  tanh,
} from '../src/functional/activations';
import { expectClose, f64, loadFixture } from './helpers';

interface Case {
  x?: NestedArray;
  upstream?: NestedArray;
  out: NestedArray;
  grad: NestedArray;
}

const fixture = loadFixture<{ x: NestedArray; upstream: NestedArray; cases: Record<string, Case> }>('nn_activations');

const functions: Record<string, (x: Tensor) => Tensor> = {
  relu,
  leakyRelu: (x) => leakyRelu(x, 0.2),
  sigmoid,
  tanh,
  geluNone: (x) => gelu(x),
  geluTanh: (x) => gelu(x, { approximate: 'tanh' }),
  silu,
  softplus: (x) => softplus(x),
  softplusBeta: (x) => softplus(x, { beta: 2, threshold: 5 }),
  elu: (x) => elu(x),
  eluAlpha: (x) => elu(x, 0.5),
  softmax: (x) => softmax(x, 1),
  logSoftmax: (x) => logSoftmax(x, 0),
};

/** Smooth everywhere except where noted, so gradcheck avoids the kinks. */
const smoothPoints = f64([-2.3, -0.7, -0.2, 0.3, 0.9, 1.7], true);

describe('activations against PyTorch', () => {
  for (const [name, fn] of Object.entries(functions)) {
    it(`${name} matches torch in value and input gradient`, () => {
      const c = fixture.cases[name] as Case;
      const x = f64(c.x ?? fixture.x, true);
      const y = fn(x);
      y.backward(f64(c.upstream ?? fixture.upstream));
      expectClose(y, c.out, { label: `${name} out` });
      expectClose(x.grad, c.grad, { label: `${name} grad` });
    });

    it(`${name} passes float64 gradcheck and second-order gradgradcheck`, () => {
      const x =
        name.startsWith('soft') && name !== 'softplus' && name !== 'softplusBeta'
          ? f64(
              [
                [0.3, -1.2, 2.0],
                [0.1, 0.5, -0.4],
              ],
              true,
            )
          : smoothPoints;
      expect(gradcheck(fn, [x])).toBe(true);
      expect(gradgradcheck(fn, [x])).toBe(true);
    });
  }
});

describe('activation edge cases', () => {
  it('softplus and elu keep finite gradients for huge inputs', () => {
    const x = f64([-1000, 1000, 80], true);
    softplus(x).add(elu(x)).sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 2, 2]);
  });

  it('gelu rejects an unknown approximation', () => {
    // @ts-expect-error testing a bad value on purpose
    expect(() => gelu(f64([1]), { approximate: 'fast' })).toThrow(/gelu: approximate must be 'none' or 'tanh'/);
  });

  it('softplus at the threshold switches to the identity like PyTorch', () => {
    expect(Array.from(softplus(f64([20, 21])).data)).toEqual([Math.log1p(Math.exp(20)), 21]);
  });
});
