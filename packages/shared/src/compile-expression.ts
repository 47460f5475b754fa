/**
 * @file Turns a math expression typed by the user ("x*y + x^2", "sin(x)*exp(-y)") into a function of
 * optimgrad tensors: mathjs parses the text, and this walk maps each node of its syntax tree to one
 * optimgrad op, so the graph that autograd records mirrors what the user wrote. Shared by the demo's
 * commands and the playground, which points at `ExpressionError.position` as the user types.
 */
import { type Tensor, tensor } from '@optimgrad/core';
import { type MathNode, parse } from 'mathjs';

/**
 * A malformed or unsupported expression; `position` is the 0-based index in the text where parsing
 * stopped, when the parser knows it (it may equal the text's length: the expression ended too soon).
 * @example try { compileExpression('x*(y+'); } catch (error) { (error as ExpressionError).position; } // 5
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

type Value = Tensor | number;

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

const FUNCTIONS: Readonly<Record<string, (x: Tensor) => Tensor>> = {
  sin: (x) => x.sin(),
  cos: (x) => x.cos(),
  tan: (x) => x.sin().div(x.cos()),
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  sqrt: (x) => x.sqrt(),
  abs: (x) => x.abs(),
  tanh: (x) => x.tanh(),
  sigmoid: (x) => x.sigmoid(),
  relu: (x) => x.relu(),
};

const NUMERIC: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => Math.max(0, x),
};

/** A parsed expression: its free variables and a way to evaluate it on tensors. */
export interface CompiledExpression {
  readonly source: string;
  /** Free variables, sorted by name (constants `pi` and `e` excluded). */
  readonly variables: readonly string[];
  /** Builds the optimgrad graph for the given variable values; the result is a tensor. */
  evaluate(values: Readonly<Record<string, Tensor>>): Tensor;
}

const SUPPORTED = '+ - * / ^, parentheses, numbers, pi, e and sin cos tan exp log sqrt abs tanh sigmoid relu';

function scalarLike(reference: Tensor, value: number): Tensor {
  return tensor(value, { dtype: reference.dtype });
}

function binary(op: string, a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      default:
        return a ** b;
    }
  }
  const left = typeof a === 'number' ? scalarLike(b as Tensor, a) : a;
  switch (op) {
    case '+':
      return left.add(b);
    case '-':
      return left.sub(b);
    case '*':
      return left.mul(b);
    case '/':
      return left.div(b);
    default:
      return left.pow(b);
  }
}

function collectVariables(node: MathNode, found: Set<string>): void {
  node.traverse((child, _path, parent) => {
    if (child.type !== 'SymbolNode') return;
    const name = (child as MathNode & { name: string }).name;
    const isFunctionName = parent?.type === 'FunctionNode' && (parent as MathNode & { fn: MathNode }).fn === child;
    if (!isFunctionName && !(name in CONSTANTS)) found.add(name);
  });
}

function walk(node: MathNode, values: Readonly<Record<string, Tensor>>, source: string): Value {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as MathNode & { value: unknown }).value;
      if (typeof value !== 'number')
        throw new ExpressionError(`expression "${source}": only numbers are allowed as constants`);
      return value;
    }
    case 'SymbolNode': {
      const name = (node as MathNode & { name: string }).name;
      const constant = CONSTANTS[name];
      if (constant !== undefined) return constant;
      const value = values[name];
      if (value === undefined)
        throw new ExpressionError(`expression "${source}": no value for variable ${name}; give ${name} a value`);
      return value;
    }
    case 'ParenthesisNode':
      return walk((node as MathNode & { content: MathNode }).content, values, source);
    case 'OperatorNode': {
      const { op, args } = node as MathNode & { op: string; args: MathNode[] };
      const operands = args.map((arg) => walk(arg, values, source));
      if (operands.length === 1) {
        const x = operands[0] as Value;
        if (op === '-') return typeof x === 'number' ? -x : x.neg();
        if (op === '+') return x;
      }
      if (operands.length === 2 && ['+', '-', '*', '/', '^'].includes(op)) {
        return binary(op, operands[0] as Value, operands[1] as Value);
      }
      throw new ExpressionError(`expression "${source}": operator "${op}" is not supported; use ${SUPPORTED}`);
    }
    case 'FunctionNode': {
      const { fn, args } = node as MathNode & { fn: MathNode & { name?: string }; args: MathNode[] };
      const name = fn.name ?? '?';
      const apply = FUNCTIONS[name];
      const numeric = NUMERIC[name];
      if (apply === undefined || numeric === undefined) {
        throw new ExpressionError(`expression "${source}": unknown function ${name}(); use ${SUPPORTED}`);
      }
      if (args.length !== 1) {
        throw new ExpressionError(`expression "${source}": ${name}() takes 1 argument but got ${args.length}`);
      }
      const x = walk(args[0] as MathNode, values, source);
      return typeof x === 'number' ? numeric(x) : apply(x);
    }
    default:
      throw new ExpressionError(`expression "${source}": ${node.type} is not supported; use ${SUPPORTED}`);
  }
}

/**
 * Parses an expression with mathjs and compiles it to optimgrad ops; throws an `ExpressionError` for
 * malformed or unsupported input.
 * @example compileExpression('x*y + x^2').evaluate({ x: tensor(2), y: tensor(3) }).item(); // 10
 */
export function compileExpression(source: string): CompiledExpression {
  if (source.trim() === '') throw new ExpressionError('expression is empty; pass one such as "x*y + x^2"');
  let root: MathNode;
  try {
    root = parse(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // mathjs numbers characters from 1 in `char`; a position outside the text is dropped rather than trusted.
    const char = (error as { char?: unknown }).char;
    const position = typeof char === 'number' && char >= 1 && char <= source.length + 1 ? char - 1 : undefined;
    throw new ExpressionError(`cannot parse expression "${source}": ${reason}`, position);
  }
  const found = new Set<string>();
  collectVariables(root, found);
  const variables = [...found].sort();
  return {
    source,
    variables,
    evaluate(values) {
      const result = walk(root, values, source);
      if (typeof result !== 'number') return result;
      const first = variables.map((name) => values[name]).find((value) => value !== undefined);
      return tensor(result, { dtype: first?.dtype ?? 'float64' });
    },
  };
}
