/**
 * @file The checkers themselves: gradcheck and gradgradcheck must reject a wrong first or second
 * derivative (otherwise every passing op test would prove nothing).
 */
import { describe, expect, it } from 'vitest';
import { apply, defineOp, gradcheck, gradgradcheck, type Tensor } from '../src/index';
import { sample } from './helpers/sample';

/** square with a backward rule that is off by 10% */
const wrongSquare = defineOp({
  kind: 'compute',
  name: 'wrongSquare',
  formula: ['d(x^2)/dx = 2.2*x (wrong on purpose)'],
  latex: ['2.2x'],
  saves: [0],
  differentiable: true,
  shape: ([x]) => x as readonly number[],
  forward: (k, [x], out) => k.unary('square', (x as Tensor).contiguousData(), out, 0, 0),
  backward: (g, { inputs: [x] }) => [g.mul((x as Tensor).mul(2.2))],
});

/** square whose first derivative is right but detached, so its second derivative is wrong (0) */
const detachedSquare = defineOp({
  kind: 'compute',
  name: 'detachedSquare',
  formula: ['d(x^2)/dx = 2*x (detached)'],
  latex: ['2x'],
  saves: [0],
  differentiable: true,
  shape: ([x]) => x as readonly number[],
  forward: (k, [x], out) => k.unary('square', (x as Tensor).contiguousData(), out, 0, 0),
  backward: (g, { inputs: [x] }) => [g.mul((x as Tensor).detach().mul(2))],
});

describe('gradcheck and gradgradcheck', () => {
  it('gradcheck throws naming the worst mismatch for a wrong derivative', () => {
    const x = sample([3]);
    expect(() => gradcheck((t) => apply(wrongSquare, [t], undefined), [x])).toThrow(
      /gradcheck: Jacobian mismatch for output 0 element \d with respect to input 0 \(shape \[3\]\)/,
    );
  });

  it('gradcheck accepts the right derivative of the same function', () => {
    expect(gradcheck((t) => t.square(), [sample([3])])).toBe(true);
  });

  it('gradgradcheck passes a right first derivative whose second derivative is wrong only in gradgradcheck', () => {
    const f = (t: Tensor) => apply(detachedSquare, [t], undefined).sum();
    expect(gradcheck(f, [sample([3])])).toBe(true);
    expect(() => gradgradcheck(f, [sample([3])])).toThrow(/Jacobian mismatch/);
  });

  it('gradcheck compares an output outside the graph with zero', () => {
    const x = sample([2]);
    expect(gradcheck((t) => [t.mul(2), t.detach().mul(0).add(1)], [x])).toBe(true);
    expect(() => gradcheck((t) => [t.mul(2), noGradSquare(t)], [x])).toThrow(/output 1 .* analytic 0, numerical/);
  });
});

/** x² computed outside the graph: a non-zero derivative that backward cannot see. */
function noGradSquare(t: Tensor): Tensor {
  return t.detach().square();
}
