/**
 * @file The backward pass, step by step, in the order the engine runs it. Each step re-runs the op's
 * own backward rule from core (`gradFn.op.backward`, un-broadcast with `sumToShape`) over core's
 * `topologicalOrder`, independently of `.grad`; the walkthrough then checks that the leaf gradients
 * it derived equal what autograd computes, and says so. (The original engine's walkthrough crashed on
 * any product node; this one handles every op because it never re-implements a rule.)
 */
import { type GradFn, grad, noGrad, type Tensor, topologicalOrder } from '@optimgrad/core';
import { formatNumber, formatView, type ValueView, viewOf } from '../format';
import type { ParamSource } from '../graph/params';
import { TensorLabels } from './labels';
import { localDerivatives, Replay, runRule } from './replay';

/** One input of a step: its label, shape and what the step computed for it. */
export interface StepInput {
  readonly label: string;
  readonly shape: readonly number[];
  /** The local derivative rule for this input, as text (from the op's definition in core). */
  readonly formula: string;
  /** The same rule in LaTeX. */
  readonly latex: string;
  /** The local derivative evaluated (element-wise ops and single-element cases), else null. */
  readonly local: ValueView | null;
  /** The gradient this step sends to the input (upstream × local, summed to the input's shape), or null. */
  readonly result: ValueView | null;
}

/** One node of the backward pass. */
export interface WalkthroughStep {
  /** 1-based position in backward order. */
  readonly index: number;
  readonly op: string;
  /** Label of the tensor this op produced. */
  readonly output: string;
  readonly outputShape: readonly number[];
  /** The op's parameters (e.g. `{"exponent":2}` for pow, the reduced dims for sum) as JSON, or null. */
  readonly params: string | null;
  /** The local derivative rule for each input, as text. */
  readonly formula: readonly string[];
  readonly latex: readonly string[];
  /** The gradient of the final output with respect to this op's result. */
  readonly upstream: ValueView;
  /** The local derivative per input (see `StepInput.local`). */
  readonly local: readonly (ValueView | null)[];
  /** The gradient per input. */
  readonly result: readonly (ValueView | null)[];
  readonly inputs: readonly StepInput[];
}

/** The comparison of a derived leaf gradient with autograd's. */
export interface WalkthroughCheck {
  readonly leaf: string;
  readonly derived: ValueView;
  /** What autograd computed: `grad()` while the graph is alive, else the leaf's `.grad`. */
  readonly reference: ValueView | null;
  readonly source: 'grad()' | '.grad';
  readonly maxAbsDiff: number;
  readonly ok: boolean;
}

export interface Walkthrough {
  readonly steps: readonly WalkthroughStep[];
  readonly checks: readonly WalkthroughCheck[];
  /** True when every derived leaf gradient matched autograd. */
  readonly ok: boolean;
  /** Leaf gradients derived by the walkthrough, by label. */
  readonly leafGradients: ReadonlyMap<string, Tensor>;
  toString(): string;
  toMarkdown(): string;
}

export interface WalkthroughOptions {
  /** The gradient of the output (default: ones, for a single-element output). */
  readonly gradient?: Tensor;
  /** Names for leaves: a model with `namedParameters()` or a record such as `{ x, y }`. */
  readonly params?: ParamSource;
  /** Tensors with at most this many elements are shown in full (default 16). */
  readonly limit?: number;
}

/**
 * Walks the backward pass of `output` step by step and checks itself against autograd.
 * @example const w = chainRuleWalkthrough(z, { params: { x, y } }); console.log(w.toString());
 */
export function chainRuleWalkthrough(output: Tensor, options: WalkthroughOptions = {}): Walkthrough {
  const limit = options.limit ?? 16;
  if (!output.requiresGrad) {
    throw new Error(
      'chainRuleWalkthrough: the output does not require grad, so there is no backward pass; create its inputs with { requiresGrad: true }',
    );
  }
  const seed = options.gradient ?? seedFor(output);
  const labels = new TensorLabels(output, options.params);
  const pending = new Map<GradFn, Tensor>();
  const leaves = new Map<Tensor, Tensor>();
  const steps: WalkthroughStep[] = [];
  const root = output.gradFn;
  if (root === null) leaves.set(output, seed);
  else pending.set(root, seed);
  const order = root === null ? [] : topologicalOrder([root]);
  const replay = new Replay('chainRuleWalkthrough');
  for (const node of order) {
    const upstream = pending.get(node);
    if (upstream === undefined) continue;
    pending.delete(node);
    const grads = runRule(node, upstream, replay);
    const locals = localDerivatives(node, replay);
    const values = replay.values(node);
    const inputs = values.inputs.map((input, i): StepInput => {
      const gi = grads[i] ?? null;
      const producer = node.next[i] ?? null;
      if (gi !== null) accumulate(input, producer, gi, pending, leaves);
      const local = locals[i] ?? null;
      return {
        label: labels.of(input, producer),
        shape: [...input.shape],
        formula: node.formula[i] ?? '',
        latex: node.latex[i] ?? '',
        local: local === null ? null : viewOf(local, limit),
        result: gi === null ? null : viewOf(gi, limit),
      };
    });
    steps.push({
      index: steps.length + 1,
      op: node.name,
      output: labels.of(values.output, node),
      outputShape: [...node.outputShape],
      params: describeParams(node.params),
      formula: node.formula,
      latex: node.latex,
      upstream: viewOf(upstream, limit),
      local: inputs.map((s) => s.local),
      result: inputs.map((s) => s.result),
      inputs,
    });
  }
  const leafGradients = new Map<string, Tensor>();
  for (const [leaf, g] of leaves) leafGradients.set(labels.of(leaf, null), g);
  const checks = checkAgainstAutograd(output, seed, order, leaves, labels, limit);
  const ok = checks.every((c) => c.ok);
  const result: Walkthrough = {
    steps,
    checks,
    ok,
    leafGradients,
    toString: () => renderText(steps, checks, ok),
    toMarkdown: () => renderMarkdown(steps, checks, ok),
  };
  return result;
}

function describeParams(params: unknown): string | null {
  if (params === undefined || params === null) return null;
  const text = JSON.stringify(params, (_key, value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) !== Object.prototype
      ? '[object]'
      : value,
  );
  return text.length <= 120 ? text : `${text.slice(0, 117)}...`;
}

function seedFor(output: Tensor): Tensor {
  if (output.size !== 1) {
    throw new Error(
      `chainRuleWalkthrough: the output has shape [${output.shape.join(', ')}]; pass { gradient } of that shape, or reduce it with .sum() first`,
    );
  }
  return noGrad(() => output.newOnes(output.shape));
}

/** Adds `g` to the gradient waiting for `input`'s node (or, for a leaf, to the leaf's total), as the engine does. */
function accumulate(
  input: Tensor,
  fn: GradFn | null,
  g: Tensor,
  pending: Map<GradFn, Tensor>,
  leaves: Map<Tensor, Tensor>,
): void {
  if (fn !== null) {
    const previous = pending.get(fn);
    pending.set(fn, previous === undefined ? g : noGrad(() => previous.add(g)));
  } else {
    const previous = leaves.get(input);
    leaves.set(input, previous === undefined ? g : noGrad(() => previous.add(g)));
  }
}

function checkAgainstAutograd(
  output: Tensor,
  seed: Tensor,
  order: readonly GradFn[],
  leaves: ReadonlyMap<Tensor, Tensor>,
  labels: TensorLabels,
  limit: number,
): WalkthroughCheck[] {
  const wanted = [...leaves.keys()].filter((t) => t.requiresGrad);
  if (wanted.length === 0) return [];
  // A leaf output has no graph to free: grad() gives the seed itself, as d(output)/d(output) = 1.
  const alive = order.every((n) => !n.freed);
  const references: (Tensor | null)[] = alive
    ? grad([output], wanted, { gradOutputs: [seed], retainGraph: true, allowUnused: true })
    : wanted.map((t) => t.grad);
  return wanted.map((leaf, i) => {
    const derived = leaves.get(leaf) as Tensor;
    const reference = references[i] ?? null;
    const maxAbsDiff = reference === null ? Number.POSITIVE_INFINITY : maxDiff(derived, reference);
    const scale = reference === null ? 1 : 1 + maxAbs(reference);
    const tolerance = (derived.dtype === 'float64' ? 1e-12 : 1e-5) * scale;
    return {
      leaf: labels.of(leaf, null),
      derived: viewOf(derived, limit),
      reference: reference === null ? null : viewOf(reference, limit),
      source: alive ? 'grad()' : '.grad',
      maxAbsDiff,
      ok: maxAbsDiff <= tolerance,
    };
  });
}

/** The largest finite magnitude (non-finite entries are compared exactly by `maxDiff`). */
function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.data) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

function maxDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) return Number.POSITIVE_INFINITY;
  const x = a.data;
  const y = b.data;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs((x[i] as number) - (y[i] as number));
    m = Number.isNaN(d) ? (Object.is(x[i], y[i]) ? m : Number.POSITIVE_INFINITY) : Math.max(m, d);
  }
  return m;
}

function verdict(checks: readonly WalkthroughCheck[], ok: boolean): string {
  if (checks.length === 0) return 'No leaf requires grad, so there was nothing to check.';
  const source = checks[0]?.source === 'grad()' ? 'autograd (grad())' : 'backward() (.grad)';
  return ok
    ? `Check passed: all ${checks.length} leaf gradients derived here equal ${source}.`
    : `Check FAILED: ${checks.filter((c) => !c.ok).length} of ${checks.length} leaf gradients differ from ${source}.`;
}

function renderText(steps: readonly WalkthroughStep[], checks: readonly WalkthroughCheck[], ok: boolean): string {
  const lines = [`Chain-rule walkthrough: ${steps.length} backward steps, in the order backward runs them.`];
  for (const step of steps) {
    const args = step.inputs.map((s) => s.label).join(', ');
    const params = step.params === null ? '' : ` ${step.params}`;
    lines.push(
      `step ${step.index}: ${step.output} = ${step.op}(${args})${params}   shape [${step.outputShape.join(', ')}]`,
    );
    lines.push(`  upstream dL/d${step.output} = ${formatView(step.upstream)}`);
    for (const input of step.inputs) {
      if (input.result === null) continue;
      const local = input.local === null ? '' : `, local = ${formatView(input.local)}`;
      lines.push(`  ${input.formula}${local}  =>  dL/d${input.label} += ${formatView(input.result)}`);
    }
  }
  for (const c of checks) {
    const reference = c.reference === null ? 'nothing' : formatView(c.reference);
    lines.push(
      `check ${c.leaf}: derived ${formatView(c.derived)}, ${c.source} gave ${reference} ${c.ok ? 'OK' : `MISMATCH (max diff ${formatNumber(c.maxAbsDiff)})`}`,
    );
  }
  lines.push(verdict(checks, ok));
  return lines.join('\n');
}

function renderMarkdown(steps: readonly WalkthroughStep[], checks: readonly WalkthroughCheck[], ok: boolean): string {
  const lines = [
    '## Chain-rule walkthrough',
    '',
    `${steps.length} backward steps, in the order backward runs them.`,
    '',
  ];
  for (const step of steps) {
    const args = step.inputs.map((s) => `\`${s.label}\``).join(', ');
    const params = step.params === null ? '' : ` with \`${step.params}\``;
    lines.push(`### Step ${step.index}: \`${step.output}\` = ${step.op}(${args})${params}`, '');
    lines.push(
      `Upstream gradient $\\partial L / \\partial ${tex(step.output)}$ = \`${formatView(step.upstream)}\``,
      '',
    );
    for (const input of step.inputs) {
      if (input.result === null) continue;
      lines.push(`- $${input.latex}$`);
      if (input.local !== null) lines.push(`  - local derivative: \`${formatView(input.local)}\``);
      lines.push(`  - $\\partial L / \\partial ${tex(input.label)}$ += \`${formatView(input.result)}\``);
    }
    lines.push('');
  }
  lines.push('### Check', '', '| leaf | derived | autograd | ok |', '| --- | --- | --- | --- |');
  for (const c of checks) {
    const reference = c.reference === null ? '—' : formatView(c.reference);
    lines.push(`| \`${c.leaf}\` | \`${formatView(c.derived)}\` | \`${reference}\` | ${c.ok ? 'yes' : 'NO'} |`);
  }
  lines.push('', verdict(checks, ok), '');
  return lines.join('\n');
}

function tex(label: string): string {
  if (/^[a-zA-Z]$/.test(label)) return label;
  const m = /^([a-zA-Z]+)(\d+)$/.exec(label);
  return m ? `${m[1]}_{${m[2]}}` : `\\text{${label.replace(/_/g, '\\_')}}`;
}
