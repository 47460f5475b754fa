/**
 * @file Sound interval bound propagation. `f` is run once on a tensor that requires grad (at the
 * box centre) to record its graph; then intervals flow through that graph inputs-first, each node
 * through its op's rule in `intervalRules`, rounded outward. Every value that any output of `f` takes
 * for inputs in the box lies inside the result, for the real-number function and for its float64
 * evaluation. (The original engine's "interval arithmetic" sampled two points per coordinate and so
 * could miss the true range.)
 */
import { enableGrad, type GradFn, noGrad, type OpName, ops, type Tensor } from '@optimgrad/core';
import { type Box, f64, pointBox, roundOut } from './box';
import { intervalRules } from './interval-rules';
import { type TracedOp, traceNonDifferentiable } from './trace';

const opNames = new Map<unknown, OpName>(Object.entries(ops).map(([name, op]) => [op, name as OpName]));

/** The element-wise lower and upper bounds of every output of `f` over the box (float64 tensors). */
export interface IntervalResult {
  readonly lower: Tensor;
  readonly upper: Tensor;
}

type Key = GradFn | Tensor;

interface Producer {
  readonly name: OpName;
  readonly inputs: readonly Tensor[];
  readonly params: unknown;
}

/**
 * Sound element-wise bounds of `f(x)` for every `x` with `lower <= x <= upper`.
 * `f` must be straight-line tensor code: no branching on values (`item()`), no `detach()`/`noGrad` of input-dependent values.
 * @example const { lower, upper } = intervalBounds((x) => x.sin().mul(x), tensor([-1]), tensor([2]));
 */
export function intervalBounds(f: (x: Tensor) => Tensor, lower: Tensor, upper: Tensor): IntervalResult {
  const input = checkBox(lower, upper);
  const centre = noGrad(() => input.lo.add(input.hi).div(2));
  centre.requiresGrad = true;
  const { result: out, traced } = traceNonDifferentiable(() => enableGrad(() => f(centre)));
  const keyOf = (t: Tensor): Key => t.gradFn ?? t;
  const producerOf = (t: Tensor): Producer | null => {
    const fn = t.gradFn;
    if (fn !== null) {
      const name = opNames.get(fn.op);
      if (name === undefined)
        throw new Error(`intervalBounds: op '${fn.name}' is not in core's ops table, so it has no interval rule`);
      return { name, inputs: fn.inputs, params: fn.params };
    }
    const op: TracedOp | undefined = traced.get(t);
    return op ?? null;
  };
  const boxes = new Map<Key, Box>();
  boxes.set(centre, input);
  for (const t of inputsFirst(out, keyOf, producerOf)) {
    const key = keyOf(t);
    if (boxes.has(key)) continue;
    const producer = producerOf(t);
    if (producer === null) {
      boxes.set(key, pointBox(t));
      continue;
    }
    const rule = intervalRules[producer.name];
    const inputBoxes = producer.inputs.map((i) => {
      const b = boxes.get(keyOf(i));
      if (b === undefined) {
        // Only possible when an in-place change to a view rebound a tensor that an earlier op had read.
        throw new Error(
          `intervalBounds: '${producer.name}' reads a tensor that f later changed in place through a view, so the recorded graph refers to the new value; write f with out-of-place ops (e.g. mul instead of mul_)`,
        );
      }
      return b;
    });
    const box = roundOut(
      noGrad(() => rule.bounds(inputBoxes, producer.params)),
      rule.ulps,
    );
    check(box, producer.name, t);
    boxes.set(key, box);
  }
  const box = boxes.get(keyOf(out)) as Box;
  return { lower: box.lo.contiguous(), upper: box.hi.contiguous() };
}

function checkBox(lower: Tensor, upper: Tensor): Box {
  if (lower.shape.join() !== upper.shape.join()) {
    throw new Error(
      `intervalBounds: lower has shape [${lower.shape.join(', ')}] but upper has shape [${upper.shape.join(', ')}]; they must match`,
    );
  }
  const lo = Float64Array.from(lower.data);
  const hi = Float64Array.from(upper.data);
  for (let i = 0; i < lo.length; i++) {
    if (!((lo[i] as number) <= (hi[i] as number)) || !Number.isFinite(lo[i]) || !Number.isFinite(hi[i])) {
      throw new Error(
        `intervalBounds: element ${i} of the box is [${lo[i]}, ${hi[i]}]; bounds must be finite with lower <= upper`,
      );
    }
  }
  return { lo: f64(lo, lower.shape), hi: f64(hi, upper.shape) };
}

function check(box: Box, name: string, t: Tensor): void {
  if (box.lo.shape.join() !== t.shape.join()) {
    throw new Error(
      `intervalBounds: internal error: the rule of ${name} gave shape [${box.lo.shape.join(', ')}] for a result of shape [${t.shape.join(', ')}]`,
    );
  }
  const lo = box.lo.data;
  const hi = box.hi.data;
  for (let i = 0; i < lo.length; i++) {
    if (Number.isNaN(lo[i]) || Number.isNaN(hi[i])) {
      throw new Error(
        `intervalBounds: the bounds of ${name} became NaN at element ${i} (e.g. 0 * Infinity after an unbounded division); shrink the box or avoid dividing by an interval that contains 0`,
      );
    }
  }
}

/** Every tensor `out` depends on, each after all of its inputs (iterative depth-first post-order). */
function inputsFirst(out: Tensor, keyOf: (t: Tensor) => Key, producerOf: (t: Tensor) => Producer | null): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Key>([keyOf(out)]);
  const stack: { t: Tensor; inputs: readonly Tensor[]; next: number }[] = [
    { t: out, inputs: producerOf(out)?.inputs ?? [], next: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next < frame.inputs.length) {
      const input = frame.inputs[frame.next++] as Tensor;
      const key = keyOf(input);
      if (seen.has(key)) continue;
      seen.add(key);
      stack.push({ t: input, inputs: producerOf(input)?.inputs ?? [], next: 0 });
    } else {
      stack.pop();
      order.push(frame.t);
    }
  }
  return order;
}
