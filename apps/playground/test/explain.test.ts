import { describe, expect, it } from 'vitest';
import { explainExpression, formatValue, variablesOf } from '../src/explain/explain-expression';

describe('explainExpression', () => {
  it('explains the Quick Start: value 10, gradients 7 and 2, with the chain rule and the paths', () => {
    const result = explainExpression('x*y + x^2', { x: 2, y: 3 });
    if (!result.ok) throw new Error(result.message);
    expect(result.value).toBe(10);
    expect(result.gradients).toEqual({ x: 7, y: 2 });
    expect(result.walkthrough).toMatch(/mul|pow|add/);
    expect(Object.keys(result.paths)).toEqual(['x', 'y']);
    expect(result.paths.x).toMatch(/7/);
    expect(result.note).toBeNull();
  });

  it('points at the end of an unfinished expression', () => {
    const result = explainExpression('x*(y+', { x: 1, y: 1 });
    expect(result).toMatchObject({ ok: false, position: 5 });
    if (!result.ok) expect(result.message).toMatch(/cannot parse expression "x\*\(y\+": Unexpected end/);
  });

  it('reports an unknown function without a position and a missing value by name', () => {
    expect(explainExpression('foo(x)', { x: 1 })).toMatchObject({ ok: false, position: null });
    expect(explainExpression('x + y', { x: 1 })).toMatchObject({ ok: false, message: 'give y a finite value' });
  });

  it('explains a bare variable and a constant without a chain rule', () => {
    expect(explainExpression('x', { x: 4 })).toMatchObject({ ok: true, value: 4, gradients: { x: 1 } });
    expect(explainExpression('2*3', {})).toMatchObject({ ok: true, value: 6, gradients: {} });
  });

  it('lists the variables of an expression, and null for text that does not parse', () => {
    expect(variablesOf('sin(a)*b + pi')).toEqual(['a', 'b']);
    expect(variablesOf('2*3')).toEqual([]);
    expect(variablesOf('a*(')).toBeNull();
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
  });
});
