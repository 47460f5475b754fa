/**
 * @file Loss functions as in `torch.nn.functional`, with `reduction: 'mean' | 'sum' | 'none'`.
 * All are compositions of core ops (so they differentiate to any order). The logit losses use the
 * log-sum-exp / log-sigmoid forms, so logits of ±1000 give finite, exact values; `bceLoss` clamps its
 * logarithms at −100 like PyTorch, its forward a backend kernel. Class-index targets are validated by the
 * backend's `firstInvalidIndex` before use.
 */
import { apply, defineOp, formatShape, getBackend, noGrad, type Shape, type Tensor } from '@optimgrad/core';

/** How a loss combines its per-element values. */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * The reduction every loss accepts.
 * @example mseLoss(a, b, { reduction: 'sum' });
 */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'` (per-element losses). */
  readonly reduction?: Reduction;
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.shape.length !== target.shape.length || input.shape.some((n, i) => n !== target.shape[i])) {
    throw new Error(
      `${op}: target shape ${formatShape(target.shape)} must equal input shape ${formatShape(input.shape)}; reshape the target to match`,
    );
  }
}

function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return loss.mean();
    case 'sum':
      return loss.sum();
    case 'none':
      return loss;
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/**
 * Mean squared error (x − y)².
 * @example mseLoss(prediction, target);
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  sameShape('mseLoss', input, target);
  return reduce('mseLoss', input.sub(target).square(), options.reduction);
}

/**
 * Mean absolute error |x − y|.
 * @example l1Loss(prediction, target, { reduction: 'sum' });
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  sameShape('l1Loss', input, target);
  return reduce('l1Loss', input.sub(target).abs(), options.reduction);
}

/**
 * Options of `huberLoss`.
 * @example huberLoss(a, b, { delta: 0.5 });
 */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  readonly delta?: number;
}

/**
 * 0.5·d² for |d| < delta, else delta·(|d| − 0.5·delta), with d = x − y.
 * @example huberLoss(prediction, target, { delta: 0.5 });
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huberLoss: delta must be positive, got ${delta}`);
  sameShape('huberLoss', input, target);
  const d = input.sub(target);
  const a = d.abs();
  const loss = d
    .square()
    .mul(0.5)
    .where(a.lt(delta), a.sub(0.5 * delta).mul(delta));
  return reduce('huberLoss', loss, options.reduction);
}

/**
 * Options of `smoothL1Loss`.
 * @example smoothL1Loss(a, b, { beta: 0.5 });
 */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  readonly beta?: number;
}

/**
 * 0.5·d²/beta for |d| < beta, else |d| − 0.5·beta, with d = x − y.
 * @example smoothL1Loss(prediction, target, { beta: 0.1 });
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`smoothL1Loss: beta must be >= 0, got ${beta}`);
  sameShape('smoothL1Loss', input, target);
  const d = input.sub(target);
  const a = d.abs();
  if (beta === 0) return reduce('smoothL1Loss', a, options.reduction);
  const loss = d
    .square()
    .mul(0.5 / beta)
    .where(a.lt(beta), a.sub(0.5 * beta));
  return reduce('smoothL1Loss', loss, options.reduction);
}

/**
 * Options of `bceLoss`.
 * @example bceLoss(p, y, { weight: tensor([1, 2]) });
 */
export interface BceOptions extends ReductionOptions {
  /** Rescaling weight, broadcast against the per-element loss. */
  readonly weight?: Tensor;
}

/**
 * PyTorch's `binary_cross_entropy` as one primitive, so its gradient is PyTorch's too: the logs are
 * clamped at −100 in the value, and the input gradient (x − y) / max(x(1 − x), 1e−12) stays finite at
 * x = 0 or 1 (a composition of clamped logs would give 0 there and stall training). The rules are
 * written with Tensor ops, so higher derivatives still come from the engine.
 */
/** PyTorch's EPSILON in binary_cross_entropy_backward: 1e-12 as a float32. */
const BCE_EPSILON = Math.fround(1e-12);

const binaryCrossEntropy = defineOp({
  kind: 'compute',
  name: 'binaryCrossEntropy',
  formula: ['d(bce(x, y))/dx = (x - y) / max(x*(1 - x), 1e-12)', 'd(bce(x, y))/dy = log(1 - x) - log(x)'],
  latex: [
    '\\frac{\\partial \\ell}{\\partial x} = \\frac{x - y}{\\max(x(1 - x), 10^{-12})}',
    '\\frac{\\partial \\ell}{\\partial y} = \\ln(1 - x) - \\ln x',
  ],
  saves: [0, 1],
  differentiable: true,
  shape: ([x]) => x as Shape,
  forward: (k, [x, y], out) => k.binaryCrossEntropy((x as Tensor).data, (y as Tensor).data, out),
  backward: (g, { inputs: [x, y] }) => {
    const p = x as Tensor;
    const t = y as Tensor;
    return [g.mul(p.sub(t)).div(p.mul(p.rsub(1)).clamp(BCE_EPSILON)), g.mul(p.rsub(1).log().sub(p.log()))];
  },
});

/**
 * Binary cross-entropy −[y·log(p) + (1 − y)·log(1 − p)] on probabilities, logs clamped at −100.
 * @example bceLoss(sigmoid(logits), labels);
 */
export function bceLoss(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  sameShape('bceLoss', input, target);
  // Two reductions on the backend; the elements are read on the host only to name a bad one.
  const [low, high] = input.size === 0 ? [0, 1] : noGrad(() => [input.min().item(), input.max().item()]);
  if (!(low >= 0 && high <= 1)) {
    const values = input.data;
    const i = Array.prototype.findIndex.call(values, (v: number) => !(v >= 0 && v <= 1));
    throw new Error(
      `bceLoss: every input must be a probability in [0, 1], got ${values[i]} at flat index ${i}; apply sigmoid first or use bceWithLogitsLoss`,
    );
  }
  let loss = apply(binaryCrossEntropy, [input, target.to(input.dtype)], undefined);
  if (options.weight !== undefined) loss = loss.mul(options.weight);
  return reduce('bceLoss', loss, options.reduction);
}

/** −log(sigmoid(x)) = log(1 + exp(−x)), stable for any x and with the right derivative at 0. */
function negLogSigmoid(x: Tensor): Tensor {
  const positive = x.clamp(0).neg().exp().log1p();
  const negative = x.clamp(null, 0);
  return positive.where(x.ge(0), negative.exp().log1p().sub(negative));
}

/**
 * Options of `bceWithLogitsLoss`.
 * @example bceWithLogitsLoss(x, y, { posWeight: tensor([3]) });
 */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of positive examples, broadcast along the last (class) dimension. */
  readonly posWeight?: Tensor;
}

/**
 * Binary cross-entropy on logits, −[pw·y·log σ(x) + (1 − y)·log(1 − σ(x))], in the stable log-sigmoid form.
 * @example bceWithLogitsLoss(logits, labels, { posWeight: tensor([3]) });
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  sameShape('bceWithLogitsLoss', input, target);
  // −log(1 − σ(x)) = x − log σ(x) = x + negLogSigmoid(x).
  const nls = negLogSigmoid(input);
  const positive = options.posWeight === undefined ? target : target.mul(options.posWeight);
  let loss = positive.mul(nls).add(target.rsub(1).mul(input.add(nls)));
  if (options.weight !== undefined) loss = loss.mul(options.weight);
  return reduce('bceWithLogitsLoss', loss, options.reduction);
}

/**
 * Options of `nllLoss` (and the class-index part of `crossEntropyLoss`).
 * @example nllLoss(logProbs, labels, { ignoreIndex: 0 });
 */
export interface NllOptions extends ReductionOptions {
  /** Per-class weights, shape `[C]`. */
  readonly weight?: Tensor;
  /** Targets equal to this value add nothing to the loss or its mean (default −100, as PyTorch). */
  readonly ignoreIndex?: number;
}

/**
 * Options of `crossEntropyLoss`.
 * @example crossEntropyLoss(logits, labels, { labelSmoothing: 0.1, weight: tensor([1, 2, 1]) });
 */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  readonly labelSmoothing?: number;
}

/** Logits or log-probabilities `[N, C, d1...]` (or `[C]`) as rows `[M, C]`, class dimension last. */
function toRows(op: string, input: Tensor): { rows: Tensor; classes: number } {
  if (input.ndim === 0) throw new Error(`${op}: input must have a class dimension, got a 0-d tensor`);
  if (input.ndim === 1) return { rows: input.reshape(1, -1), classes: input.shape[0] as number };
  const classes = input.shape[1] as number;
  if (input.ndim === 2) return { rows: input, classes };
  const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2), 1];
  return { rows: input.permute(...dims).reshape(-1, classes), classes };
}

/** The shape class-index targets must have for `input`: input's shape without the class dimension. */
function indexTargetShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : input.shape.filter((_, i) => i !== 1);
}

interface IndexTargets {
  /** Target index per row, with ignored rows set to 0 (safe for gather). */
  readonly index: Tensor;
  /** Per-row weight: the class weight, 0 for ignored rows. */
  readonly rowWeight: Tensor;
  /** 1 for rows whose target is not `ignoreIndex`, else 0. */
  readonly keptRows: Tensor;
}

function indexTargets(op: string, input: Tensor, target: Tensor, classes: number, options: NllOptions): IndexTargets {
  const expected = indexTargetShape(input);
  if (target.shape.length !== expected.length || target.shape.some((n, i) => n !== expected[i])) {
    throw new Error(
      `${op}: for input of shape ${formatShape(input.shape)} the target must be class indices of shape ${formatShape(expected)} or probabilities of shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}`,
    );
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  const weight = options.weight;
  if (weight !== undefined && (weight.ndim !== 1 || weight.shape[0] !== classes)) {
    throw new Error(`${op}: weight must have shape [${classes}] (one per class), got ${formatShape(weight.shape)}`);
  }
  // Ignored rows read class 0; the range check is the backend's `firstInvalidIndex` kernel.
  const targets = target.detach().reshape(-1);
  const kept = targets.ne(ignoreIndex);
  const classIndex = targets.where(kept, 0);
  // With no classes only ignored targets are valid: the first kept row (a 1 is not an index in [0, 1)) is the bad one.
  const bad =
    classes === 0
      ? getBackend().firstInvalidIndex(kept.data, 1)
      : getBackend().firstInvalidIndex(classIndex.data, classes);
  if (bad !== -1) {
    throw new Error(
      `${op}: target ${targets.data[bad]} at flat index ${bad} is not a class index in [0, ${classes - 1}] (input has ${classes} classes) nor ignoreIndex ${ignoreIndex}`,
    );
  }
  const indexTensor = classIndex.to(input.dtype);
  const keptRows = kept.to(input.dtype);
  // Through indexSelect, so a class weight that requires grad receives one.
  const rowWeight = weight === undefined || classes === 0 ? keptRows : weight.indexSelect(0, indexTensor).mul(keptRows);
  return { index: indexTensor, rowWeight, keptRows };
}

/** Weighted negative log-likelihood of `logProbs` rows at class-index targets (before label smoothing). */
function nllRows(op: string, logProbs: Tensor, target: Tensor, options: NllOptions) {
  const { rows, classes } = toRows(op, logProbs);
  const { index, rowWeight, keptRows } = indexTargets(op, logProbs, target, classes, options);
  // No classes (every target ignored, or indexTargets threw): an empty row sums to 0 and keeps the graph.
  const picked = classes === 0 ? rows.sum(1) : rows.gather(1, index.unsqueeze(1)).squeeze(1);
  // Ignored rows are left out rather than multiplied by 0: with every target ignored the mean divides by a
  // total weight of 0, and PyTorch's loss is then NaN while its gradient stays 0 (0 · ∞ would be NaN).
  const loss = picked.mul(rowWeight).neg().where(keptRows, 0);
  return { rows, classes, loss, rowWeight, keptRows };
}

function reduceWeighted(op: string, loss: Tensor, rowWeight: Tensor, target: Tensor, reduction?: Reduction): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return loss.sum().div(rowWeight.sum());
    case 'sum':
      return loss.sum();
    case 'none':
      return loss.reshape(...target.shape);
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/**
 * Negative log-likelihood of class-index targets given log-probabilities `[N, C]`, `[C]` or `[N, C, d1...]`.
 * @example nllLoss(logSoftmax(logits, 1), labels);
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: NllOptions = {}): Tensor {
  const { loss, rowWeight } = nllRows('nllLoss', logProbs, target, options);
  return reduceWeighted('nllLoss', loss, rowWeight, target, options.reduction);
}

/**
 * Cross-entropy of logits `[N, C]`, `[C]` or `[N, C, d1...]` against class indices or class probabilities
 * (a target of the logits' shape), with label smoothing, class weights and ignoreIndex like PyTorch.
 * @example crossEntropyLoss(logits, tensor([0, 2, 1]), { labelSmoothing: 0.1 });
 */
export function crossEntropyLoss(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropyLoss';
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${op}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  const logProbs = logits.ndim === 0 ? logits : logits.logSoftmax(logits.ndim === 1 ? 0 : 1);
  const isProbabilities =
    target.shape.length === logits.shape.length && target.shape.every((n, i) => n === logits.shape[i]);
  if (isProbabilities) return probabilityCrossEntropy(logProbs, target, smoothing, options);
  const { rows, classes, loss, rowWeight, keptRows } = nllRows(op, logProbs, target, options);
  const nll = reduceWeighted(op, loss, rowWeight, target, options.reduction);
  if (smoothing === 0) return nll;
  // PyTorch: (1 − ε)·nll + ε/C · Σ_c −w_c·log p_c, the second term normalised like nll.
  const weighted = options.weight === undefined ? rows : rows.mul(options.weight);
  const smooth = weighted.sum(1).neg().where(keptRows, 0);
  let smoothReduced: Tensor;
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'mean') {
    smoothReduced = smooth.sum().div(rowWeight.sum());
  } else if (reduction === 'sum') smoothReduced = smooth.sum();
  else smoothReduced = smooth.reshape(...target.shape);
  return nll.mul(1 - smoothing).add(smoothReduced.mul(smoothing / classes));
}

function probabilityCrossEntropy(logProbs: Tensor, target: Tensor, smoothing: number, options: CrossEntropyOptions) {
  const op = 'crossEntropyLoss';
  if (options.ignoreIndex !== undefined && options.ignoreIndex >= 0) {
    throw new Error(
      `${op}: ignoreIndex ${options.ignoreIndex} is not supported with class-probability targets (target shape ${formatShape(target.shape)} equals the logits' shape); give the ignored rows zero probabilities, or pass class indices`,
    );
  }
  const { rows, classes } = toRows(op, logProbs);
  let probabilities = toRows(op, target).rows;
  if (smoothing > 0) probabilities = probabilities.mul(1 - smoothing).add(smoothing / classes);
  let terms = rows.mul(probabilities);
  if (options.weight !== undefined) {
    if (options.weight.ndim !== 1 || options.weight.shape[0] !== classes) {
      throw new Error(
        `${op}: weight must have shape [${classes}] (one per class), got ${formatShape(options.weight.shape)}`,
      );
    }
    terms = terms.mul(options.weight);
  }
  const loss = terms.sum(1).neg();
  switch (options.reduction ?? 'mean') {
    case 'mean':
      // PyTorch divides by numel / C (the row count, or NaN when there are no classes), not by the rows.
      return loss.sum().div(logProbs.size / classes);
    case 'sum':
      return loss.sum();
    case 'none':
      return loss.reshape(...indexTargetShape(logProbs));
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(options.reduction)}'`);
  }
}
