/**
 * @file Sound interval bound propagation. `f` is run once on a tensor that requires grad (at the
 * box centre) to record its graph; then intervals flow through that graph inputs-first, each node
 * through its op's rule in `intervalRules`, rounded outward. Every value that any output of `f` takes
 * for inputs in the box lies inside the result, for the real-number function and for its float64
 * evaluation. (The original engine's "interval arithmetic" sampled two points per coordinate and so
 * could miss the true range.)
 */
import {
  enableGrad,
  formatShape,
  GradFn,
  isTableCall,
  noGrad,
  type OpName,
  type OpParams,
  recordAllOps,
  type Tensor,
} from '@optimgrad/core';
import { type Box, clipBox, f64, pointBox, roundOut } from './box';
import { intervalRules } from './interval-rules';

/** The element-wise lower and upper bounds of every output of `f` over the box (float64 tensors). */
export interface IntervalResult {
  readonly lower: Tensor;
  readonly upper: Tensor;
}

type Key = GradFn | Tensor;

interface Producer {
  readonly name: OpName;
  readonly inputs: readonly Tensor[];
  /** The node that produced each input when the op ran (null for leaves). */
  readonly next: readonly (GradFn | null)[];
  readonly params: OpParams<OpName>;
  readonly shape: readonly number[];
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
  // Every op is recorded, including those with no derivative (a `where(x.gt(0), …)` condition depends on x).
  const out = recordAllOps(() => enableGrad(() => f(centre)));
  // A graph node is a GradFn, or a leaf tensor (the input or a constant).
  const producerOf = (key: Key): Producer | null => {
    if (!(key instanceof GradFn)) return null;
    if (!isTableCall(key)) {
      throw new Error(`intervalBounds: op '${key.name}' is not in core's ops table, so it has no interval rule`);
    }
    return { name: key.op.id, inputs: key.inputs, next: key.next, params: key.params, shape: key.output.shape };
  };
  const boxes = new Map<Key, Box>();
  boxes.set(centre, input);
  const root: Key = out.gradFn ?? out;
  for (const key of inputsFirst(root, producerOf)) {
    if (boxes.has(key)) continue;
    const producer = producerOf(key);
    if (producer === null) {
      boxes.set(key, pointBox(key as Tensor));
      continue;
    }
    const inputBoxes = producer.inputs.map((t, i) => boxes.get(producer.next[i] ?? t) as Box);
    const box = applyRule(producer.name, producer.params, inputBoxes);
    check(box, producer.name, producer.shape);
    boxes.set(key, box);
  }
  const box = boxes.get(root) as Box;
  return { lower: box.lo.contiguous(), upper: box.hi.contiguous() };
}

/** Op `name`'s interval rule on `inputs`, rounded outward and clipped to the op's known range. */
function applyRule<K extends OpName>(name: K, params: OpParams<K>, inputs: readonly Box[]): Box {
  const rule = intervalRules[name];
  const nan = rule.nan?.(inputs, params) ?? null;
  if (nan !== null) {
    throw new Error(
      `intervalBounds: ${name} can be NaN for inputs in the box (${nan}), and no interval holds NaN; shrink the box, or keep divisors and the arguments of sin/cos away from 0 and Infinity`,
    );
  }
  const rounded = roundOut(
    noGrad(() => rule.bounds(inputs, params)),
    rule.ulps,
  );
  const range = rule.range?.(inputs, params) ?? null;
  return range === null ? rounded : clipBox(rounded, range);
}

function checkBox(lower: Tensor, upper: Tensor): Box {
  if (lower.shape.join() !== upper.shape.join()) {
    throw new Error(
      `intervalBounds: lower has shape ${formatShape(lower.shape)} but upper has shape ${formatShape(upper.shape)}; they must match`,
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

function check(box: Box, name: string, shape: readonly number[]): void {
  if (box.lo.shape.join() !== shape.join()) {
    throw new Error(
      `intervalBounds: internal error: the rule of ${name} gave shape ${formatShape(box.lo.shape)} for a result of shape ${formatShape(shape)}`,
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

/** Every node `root` depends on, each after all of its inputs (iterative depth-first post-order). */
function inputsFirst(root: Key, producerOf: (key: Key) => Producer | null): Key[] {
  const order: Key[] = [];
  const seen = new Set<Key>([root]);
  const childrenOf = (key: Key): Key[] => {
    const p = producerOf(key);
    return p === null ? [] : p.inputs.map((t, i) => p.next[i] ?? t);
  };
  const stack: { key: Key; children: Key[]; next: number }[] = [{ key: root, children: childrenOf(root), next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++] as Key;
      if (seen.has(child)) continue;
      seen.add(child);
      stack.push({ key: child, children: childrenOf(child), next: 0 });
    } else {
      stack.pop();
      order.push(frame.key);
    }
  }
  return order;
}
