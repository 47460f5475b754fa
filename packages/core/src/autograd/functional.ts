/**
 * @file Higher-level differentiation of whole functions, as `torch.autograd.functional`: `jacobian`,
 * `hessian`, `vjp`, `jvp`, `hvp` and `vhp`, with PyTorch's semantics for array (tuple) inputs and outputs,
 * `strict` and `createGraph`. Everything is reverse mode: `jvp` and `hvp` use the double-backward trick
 * (differentiate a vector-Jacobian product with respect to its seed), as PyTorch 1.13 does.
 */
import { stack } from '../ops/join';
import type { Tensor } from '../tensor';
import {
  asList,
  checkRequiresGrad,
  finish,
  gradOrNull,
  prepareInputs,
  seedsFrom,
  type TensorFunction,
  zerosForNull,
} from './functional-helpers';
import { enableGrad } from './grad-mode';

export type { TensorFunction } from './functional-helpers';

/** Options of every function of the functional API. */
export interface FunctionalOptions {
  /** Keep the graph of the results, so they can be differentiated again (default false: results are detached). */
  readonly createGraph?: boolean;
  /** Throw when an output is independent of an input instead of returning zeros (default false). */
  readonly strict?: boolean;
}

/** A Tensor, or an array of Tensors (PyTorch's tuple). */
export type TensorOrTensors = Tensor | readonly Tensor[];

/** A single tensor for a single tensor, an array for an array. */
export type Structured<T> = T extends Tensor ? Tensor : Tensor[];

/** The Jacobian's nesting: `[i][j]` is output i with respect to input j; a level is dropped where one is a Tensor. */
export type JacobianOf<O, I> = O extends Tensor
  ? I extends Tensor
    ? Tensor
    : Tensor[]
  : I extends Tensor
    ? Tensor[]
    : Tensor[][];

/** The Hessian's nesting: a Tensor for one input, `[i][j]` for an array of inputs. */
export type HessianOf<I> = I extends Tensor ? Tensor : Tensor[][];

/**
 * The Jacobian of `f` at `inputs` (`torch.autograd.functional.jacobian`): for output i and input j, a tensor
 * of shape `[...outputs[i].shape, ...inputs[j].shape]`.
 * @example jacobian((x) => x.tanh(), tensor([0, 1])) // diag(1 - tanh²)
 */
export function jacobian<O extends TensorOrTensors, I extends TensorOrTensors>(
  f: TensorFunction<O>,
  inputs: I,
  options: FunctionalOptions = {},
): JacobianOf<O, I> {
  const createGraph = options.createGraph ?? false;
  const strict = options.strict ?? false;
  return enableGrad(() => {
    const [inputsAreList, given] = asList(inputs, 'inputs', 'jacobian');
    const xs = prepareInputs(given, createGraph, true);
    const [outputsAreList, outputs] = asList(f(...xs), 'outputs of the function', 'jacobian');
    checkRequiresGrad(outputs, 'outputs', strict, 'jacobian');
    const result = outputs.map((out, i) => {
      // rows[j][e]: the gradient of output element e with respect to input j, one backward per element.
      const rows = xs.map((): Tensor[] => []);
      for (let e = 0; e < out.size; e++) {
        const seed = out.newZeros(out.shape);
        seed.data[e] = 1;
        const grads = gradOrNull([out], xs, [seed], createGraph, true);
        grads.forEach((g, j) => {
          const x = xs[j] as Tensor;
          if (g === null) {
            if (strict) {
              throw new Error(
                `jacobian: output ${i} of the function is independent of input ${j}, which strict mode does not allow; pass { strict: false } to get zeros instead`,
              );
            }
            (rows[j] as Tensor[]).push(x.newZeros(x.shape));
            return;
          }
          if (strict && createGraph && !g.requiresGrad) {
            throw new Error(
              `jacobian: the Jacobian of output ${i} is independent of input ${j}, which strict mode does not allow with createGraph: true (the result could not be differentiated)`,
            );
          }
          (rows[j] as Tensor[]).push(g);
        });
      }
      return xs.map((x, j) => {
        const shape = [...out.shape, ...x.shape];
        const row = rows[j] as Tensor[];
        return row.length === 0 ? x.newZeros(shape) : finishOne(stack(row, 0).reshape(shape), createGraph);
      });
    });
    return nest(result, outputsAreList, inputsAreList) as JacobianOf<O, I>;
  });
}

/**
 * The Hessian of a function with one single-element output (`torch.autograd.functional.hessian`): for
 * inputs i and j, a tensor of shape `[...inputs[i].shape, ...inputs[j].shape]`.
 * @example hessian((x) => x.pow(3).sum(), tensor([1, 2])) // [[6, 0], [0, 12]]
 */
export function hessian<I extends TensorOrTensors>(
  f: TensorFunction<Tensor>,
  inputs: I,
  options: FunctionalOptions = {},
): HessianOf<I> {
  const strict = options.strict ?? false;
  const [inputsAreList, given] = asList(inputs, 'inputs', 'hessian');
  const single = (...xs: Tensor[]): Tensor => {
    const out = scalarOutput(f(...xs), strict, 'hessian');
    return out.reshape([]);
  };
  // The Hessian is the Jacobian of the gradient; the gradient keeps its graph for the outer Jacobian.
  const gradient = (...xs: Tensor[]): Tensor[] => {
    const g = jacobian(single, xs, { createGraph: true });
    checkRequiresGrad(g, 'jacobian', strict, 'hessian');
    return g;
  };
  const result = jacobian(gradient, given, { createGraph: options.createGraph ?? false, strict });
  return (inputsAreList ? result : (result[0] as Tensor[])[0]) as HessianOf<I>;
}

/**
 * The function's value and the vector-Jacobian product vᵀ·J (`torch.autograd.functional.vjp`), with `v`
 * shaped like the outputs (omit it for a single-element output); the product is shaped like the inputs.
 * @example const [y, g] = vjp((x) => x.square(), tensor([1, 2]), tensor([1, 1])); // g = [2, 4]
 */
export function vjp<O extends TensorOrTensors, I extends TensorOrTensors>(
  f: TensorFunction<O>,
  inputs: I,
  v?: TensorOrTensors | null,
  options: FunctionalOptions = {},
): [Structured<O>, Structured<I>] {
  const createGraph = options.createGraph ?? false;
  const strict = options.strict ?? false;
  return enableGrad(() => {
    const [inputsAreList, xs] = prepared(inputs, createGraph, 'vjp');
    const [outputsAreList, outputs] = asList(f(...xs), 'outputs of the function', 'vjp');
    checkRequiresGrad(outputs, 'outputs', strict, 'vjp');
    const seeds = seedsFrom(v, outputs, outputsAreList, createGraph, 'vjp', "the function's output");
    const grads = gradOrNull(outputs, xs, seeds, createGraph);
    const product = zerosForNull(grads, xs, strict, createGraph, 'back', 'vjp');
    return [
      unwrap(finish(outputs, createGraph), outputsAreList),
      unwrap(finish(product, createGraph), inputsAreList),
    ] as [Structured<O>, Structured<I>];
  });
}

/**
 * The function's value and the Jacobian-vector product J·v (`torch.autograd.functional.jvp`), with `v`
 * shaped like the inputs (omit it for a single-element input); the product is shaped like the outputs.
 * Computed by the double-backward trick: u ↦ uᵀ·J is linear in u, so its gradient with respect to u along v is J·v.
 * @example const [y, t] = jvp((x) => x.square(), tensor([1, 2]), tensor([1, 0])); // t = [2, 0]
 */
export function jvp<O extends TensorOrTensors, I extends TensorOrTensors>(
  f: TensorFunction<O>,
  inputs: I,
  v?: TensorOrTensors | null,
  options: FunctionalOptions = {},
): [Structured<O>, Structured<O>] {
  const createGraph = options.createGraph ?? false;
  const strict = options.strict ?? false;
  return enableGrad(() => {
    const [inputsAreList, xs] = prepared(inputs, createGraph, 'jvp');
    const seeds = seedsFrom(v, xs, inputsAreList, createGraph, 'jvp', 'the input');
    const [outputsAreList, outputs] = asList(f(...xs), 'outputs of the function', 'jvp');
    checkRequiresGrad(outputs, 'outputs', strict, 'jvp');
    const u = outputs.map((out) => {
      const zeros = out.newZeros(out.shape);
      zeros.requiresGrad = true;
      return zeros;
    });
    const uJ = gradOrNull(outputs, xs, u, true);
    checkRequiresGrad(uJ, 'gradInputs', strict, 'jvp');
    const grads = gradOrNull(uJ, u, seeds, createGraph);
    const product = zerosForNull(grads, outputs, strict, createGraph, 'backTrick', 'jvp');
    return [
      unwrap(finish(outputs, createGraph), outputsAreList),
      unwrap(finish(product, createGraph), outputsAreList),
    ] as [Structured<O>, Structured<O>];
  });
}

/**
 * The function's value and the vector-Hessian product vᵀ·H (`torch.autograd.functional.vhp`) of a function
 * with one single-element output; `v` and the product are shaped like the inputs.
 * @example const [y, p] = vhp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1])); // p = [6, 12]
 */
export function vhp<I extends TensorOrTensors>(
  f: TensorFunction<Tensor>,
  inputs: I,
  v?: TensorOrTensors | null,
  options: FunctionalOptions = {},
): [Tensor, Structured<I>] {
  return hessianProduct(f, inputs, v, options, 'vhp');
}

/**
 * The function's value and the Hessian-vector product H·v (`torch.autograd.functional.hvp`) of a function
 * with one single-element output, by the double-backward trick; `v` and the product are shaped like the inputs.
 * @example const [y, p] = hvp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1])); // p = [6, 12]
 */
export function hvp<I extends TensorOrTensors>(
  f: TensorFunction<Tensor>,
  inputs: I,
  v?: TensorOrTensors | null,
  options: FunctionalOptions = {},
): [Tensor, Structured<I>] {
  return hessianProduct(f, inputs, v, options, 'hvp');
}

function hessianProduct<I extends TensorOrTensors>(
  f: TensorFunction<Tensor>,
  inputs: I,
  v: TensorOrTensors | null | undefined,
  options: FunctionalOptions,
  fnName: 'hvp' | 'vhp',
): [Tensor, Structured<I>] {
  const createGraph = options.createGraph ?? false;
  const strict = options.strict ?? false;
  return enableGrad(() => {
    const [inputsAreList, xs] = prepared(inputs, createGraph, fnName);
    const seeds = seedsFrom(v, xs, inputsAreList, createGraph, fnName, 'the input');
    const out = scalarOutput(f(...xs), strict, fnName);
    const gradient = gradOrNull([out], xs, null, true);
    checkRequiresGrad(gradient, 'jacobian', strict, fnName);
    let product: Tensor[];
    if (fnName === 'vhp') {
      const grads = gradOrNull(gradient, xs, seeds, createGraph);
      product = zerosForNull(grads, xs, strict, createGraph, 'doubleBack', fnName);
    } else {
      // H is symmetric only for twice continuously differentiable f; the trick gives H·v exactly, as PyTorch.
      const u = xs.map((x) => {
        const zeros = x.newZeros(x.shape);
        zeros.requiresGrad = true;
        return zeros;
      });
      const uH = gradOrNull(gradient, xs, u, true);
      const grads = gradOrNull(uH, u, seeds, createGraph);
      product = zerosForNull(grads, xs, strict, createGraph, 'doubleBackTrick', fnName);
    }
    return [finishOne(out, createGraph), unwrap(finish(product, createGraph), inputsAreList)] as [
      Tensor,
      Structured<I>,
    ];
  });
}

function prepared(inputs: unknown, createGraph: boolean, fnName: string): [boolean, Tensor[]] {
  const [isList, given] = asList(inputs, 'inputs', fnName);
  return [isList, prepareInputs(given, createGraph, true)];
}

/** The single Tensor with a single element that hessian, hvp and vhp need. */
function scalarOutput(value: unknown, strict: boolean, fnName: string): Tensor {
  const [isList, outputs] = asList(value, 'outputs of the function', fnName);
  checkRequiresGrad(outputs, 'outputs', strict, fnName);
  const out = outputs[0] as Tensor;
  if (isList) throw new Error(`${fnName}: the function should return a single Tensor, not an array`);
  if (out.size !== 1) {
    throw new Error(
      `${fnName}: the function should return a tensor with a single element, but it returned shape [${out.shape.join(', ')}]; reduce it first (for example with .sum())`,
    );
  }
  return out;
}

function finishOne(t: Tensor, createGraph: boolean): Tensor {
  return createGraph ? t : t.detach();
}

function unwrap(tensors: Tensor[], isList: boolean): Tensor | Tensor[] {
  return isList ? tensors : (tensors[0] as Tensor);
}

function nest(result: Tensor[][], outputsAreList: boolean, inputsAreList: boolean): Tensor | Tensor[] | Tensor[][] {
  if (outputsAreList && inputsAreList) return result;
  if (outputsAreList) return result.map((row) => row[0] as Tensor);
  const row = result[0] as Tensor[];
  return inputsAreList ? row : (row[0] as Tensor);
}
