/**
 * @file Records one forward pass for export: the autograd graph of every op (recorded even for ops
 * without a derivative, via `recordAllOps`) and, through forward hooks, every module call with its
 * inputs and output, so the exporter can map whole layers (Linear → Gemm) and name modules in errors.
 *
 * Tracing mode: each example input is replaced by a detached copy that requires grad, so the graph
 * starts at the inputs even when the user's tensors do not require grad; the user's tensors and the
 * module are left as they were (hooks are removed, no backward runs, no statistics are updated).
 */
import { enableGrad, type GradFn, isTensor, recordAllOps, type Tensor, topologicalOrder } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';

/** One `module.call(...)` seen during the trace. */
export interface ModuleCall {
  readonly module: Module;
  /** The module's path in the model (`'features.0'`; `''` for the model itself). */
  readonly path: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
}

export interface Trace {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** In the order their forward hooks ran: inner modules before the modules containing them. */
  readonly calls: readonly ModuleCall[];
}

/** Runs `module` once on copies of `inputs` that start a graph, recording module calls. */
export function traceModule(module: Module, inputs: readonly Tensor[]): Trace {
  const traced = inputs.map((x) => {
    const copy = x.detach();
    copy.requiresGrad = true;
    return copy;
  });
  const calls: ModuleCall[] = [];
  const handles = module.namedModules().map(([path, m]) =>
    m.registerForwardHook((_, args, output) => {
      calls.push({ module: m, path, inputs: [...args], output });
    }),
  );
  try {
    const output: unknown = enableGrad(() =>
      recordAllOps(() => module.call(...(traced as Parameters<Module['forward']>))),
    );
    if (!isTensor(output)) {
      const kind = output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output;
      throw new Error(
        `exportOnnx: the model's forward returned ${kind}, not a Tensor; export a module whose forward returns one Tensor (wrap the model and return the output you need)`,
      );
    }
    return { inputs: traced, output, calls };
  } finally {
    for (const handle of handles) handle.remove();
  }
}

/** Every graph node reachable from the trace's output, outputs first. */
function nodesOf(trace: Trace): GradFn[] {
  const root = trace.output.gradFn;
  return root === null ? [] : topologicalOrder([root]);
}

/**
 * Pairs each tensor of trace `a` with the same tensor of trace `b`, a trace of the same model on inputs
 * with other values, one longer along every dynamic axis: the dims whose sizes differ between the two are
 * the dynamic ones. Throws when the two graphs differ in structure (the forward pass branches).
 */
export function pairTraces(a: Trace, b: Trace): Map<Tensor, Tensor> {
  const pairs = new Map<Tensor, Tensor>();
  const pair = (x: Tensor, y: Tensor): void => {
    if (!pairs.has(x)) pairs.set(x, y);
  };
  for (const [i, x] of a.inputs.entries()) pair(x, b.inputs[i] as Tensor);
  pair(a.output, b.output);
  const nodesA = nodesOf(a);
  const nodesB = nodesOf(b);
  const differ = nodesA.length !== nodesB.length || nodesA.some((n, i) => n.op !== nodesB[i]?.op);
  if (differ || a.calls.length !== b.calls.length || a.calls.some((c, i) => c.module !== b.calls[i]?.module)) {
    throw new Error(
      'exportOnnx: two traces of the forward pass record different graphs ' +
        `(${nodesA.length} ops against ${nodesB.length}): it branches on the input's values, on a size along a dynamic axis or on random numbers, ` +
        'so one ONNX graph cannot express it. Compute both branches and pick with where(), export with fixed sizes (no dynamicAxes), or call model.eval().',
    );
  }
  nodesA.forEach((n, i) => {
    const m = nodesB[i] as GradFn;
    pair(n.output, m.output);
    for (const [j, x] of n.inputs.entries()) pair(x, m.inputs[j] as Tensor);
  });
  a.calls.forEach((c, i) => {
    const d = b.calls[i] as ModuleCall;
    pair(c.output, d.output);
    for (const [j, x] of c.inputs.entries()) pair(x, d.inputs[j] as Tensor);
  });
  return pairs;
}

/**
 * The innermost module whose forward pass ran `node`, as `'path' (Class)`, for error messages: the first
 * call (inner calls come first) whose graph, walked back from its output to its inputs, contains the node.
 */
export function locate(node: GradFn, calls: readonly ModuleCall[]): string {
  for (const call of calls) {
    const stops = new Set(call.inputs.map((x) => x.gradFn));
    const seen = new Set<GradFn>();
    const stack = call.output.gradFn === null ? [] : [call.output.gradFn];
    while (stack.length > 0) {
      const current = stack.pop() as GradFn;
      if (seen.has(current) || stops.has(current)) continue;
      if (current === node) return describe(call);
      seen.add(current);
      for (const next of current.next) if (next !== null) stack.push(next);
    }
  }
  return 'outside any module';
}

/** `module 'features.0' (Conv2d)`, or `the model (Net)` for the root. */
export function describe(call: { readonly path: string; readonly module: Module }): string {
  const kind = call.module.constructor.name;
  return call.path === '' ? `the model (${kind})` : `module '${call.path}' (${kind})`;
}
