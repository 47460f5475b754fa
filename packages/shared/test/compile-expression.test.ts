import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError } from '../src/compile-expression';

const scalar = (value: number) => tensor(value, { dtype: 'float64', requiresGrad: true });

describe('compileExpression', () => {
  it('reproduces the Quick Start: x*y + x^2 at (2, 3) is 10 with gradients 7 and 2', () => {
    const expression = compileExpression('x*y + x^2');
    expect(expression.variables).toEqual(['x', 'y']);
    const x = scalar(2);
    const y = scalar(3);
    const z = expression.evaluate({ x, y });
    expect(z.item()).toBe(10);
    z.backward();
    expect(x.grad?.item()).toBe(7);
    expect(y.grad?.item()).toBe(2);
  });

  it('records one optimgrad op per operator so the graph mirrors the text', () => {
    const x = scalar(0.5);
    const z = compileExpression('sin(x) * exp(-x)').evaluate({ x });
    expect(z.gradFn?.name).toBe('mul');
    expect(z.item()).toBeCloseTo(Math.sin(0.5) * Math.exp(-0.5), 12);
  });

  it('supports every listed function, constants, unary minus and parentheses', () => {
    const x = scalar(0.3);
    const source =
      'sin(x) + cos(x) + tan(x) + exp(x) + log(x) + sqrt(x) + abs(-x) + tanh(x) + sigmoid(x) + relu(x) - (pi - e)';
    const value = compileExpression(source).evaluate({ x }).item();
    const v = 0.3;
    const expected =
      Math.sin(v) +
      Math.cos(v) +
      Math.tan(v) +
      Math.exp(v) +
      Math.log(v) +
      Math.sqrt(v) +
      v +
      Math.tanh(v) +
      1 / (1 + Math.exp(-v)) +
      v -
      (Math.PI - Math.E);
    expect(value).toBeCloseTo(expected, 10);
  });

  it('differentiates a number raised to a variable and a number divided by a variable', () => {
    const x = scalar(1.5);
    const z = compileExpression('2^x + 1/x').evaluate({ x });
    z.backward();
    expect(x.grad?.item()).toBeCloseTo(Math.log(2) * 2 ** 1.5 - 1 / 1.5 ** 2, 10);
  });

  it('folds constant subexpressions into numbers', () => {
    expect(compileExpression('2*3 + 1').evaluate({}).item()).toBe(7);
  });

  it('rejects malformed expressions with an ExpressionError naming the expression', () => {
    expect(() => compileExpression('x*(')).toThrow(ExpressionError);
    expect(() => compileExpression('x*(')).toThrow(/cannot parse expression "x\*\("/);
  });

  it('rejects unknown functions and unsupported operators', () => {
    expect(() => compileExpression('foo(x)').evaluate({ x: scalar(1) })).toThrow(/unknown function foo\(\)/);
    expect(() => compileExpression('x < 2').evaluate({ x: scalar(1) })).toThrow(/operator "<" is not supported/);
  });

  it('points at the character where parsing stopped', () => {
    const positionOf = (source: string) => {
      try {
        compileExpression(source);
      } catch (error) {
        return error instanceof ExpressionError ? error.position : 'not an ExpressionError';
      }
      return 'no error';
    };
    expect(positionOf('x*(y+')).toBe(5);
    expect(positionOf('x+*y')).toBe(2);
    expect(positionOf('')).toBeUndefined();
  });

  it('says which variable is missing for an unbound variable', () => {
    expect(() => compileExpression('x + z').evaluate({ x: scalar(1) })).toThrow(/no value for variable z/);
  });
});
