/**
 * @file The optimgrad side of every PyTorch fixture case in scripts/fixtures/core.py, by the same
 * name: `inputs` are the fixture's inputs (differentiated where it says), `aux` its index or
 * condition tensors.
 */
import { cat, stack, type Tensor, where, zeros } from '../src/index';

export type TorchCase = (inputs: readonly Tensor[], aux: readonly Tensor[]) => Tensor;

const unary =
  (f: (x: Tensor) => Tensor): TorchCase =>
  ([x]) =>
    f(x as Tensor);
const binary =
  (f: (a: Tensor, b: Tensor) => Tensor): TorchCase =>
  ([a, b]) =>
    f(a as Tensor, b as Tensor);
/** The pieces scaled by 1, 2, 3... and joined again, so each piece's gradient differs. */
const rejoin = (pieces: Tensor[], dim: number) =>
  cat(
    pieces.map((p, k) => p.mul(k + 1)),
    dim,
  ).square();

export const torchCases: Record<string, TorchCase> = {
  neg: unary((x) => x.neg()),
  exp: unary((x) => x.exp()),
  log: unary((x) => x.log()),
  sqrt: unary((x) => x.sqrt()),
  abs: unary((x) => x.abs()),
  sin: unary((x) => x.sin()),
  cos: unary((x) => x.cos()),
  tanh: unary((x) => x.tanh()),
  sigmoid: unary((x) => x.sigmoid()),
  relu: unary((x) => x.relu()),
  'relu at zero': unary((x) => x.relu()),
  'abs at zero': unary((x) => x.abs()),
  reciprocal: unary((x) => x.reciprocal()),
  square: unary((x) => x.square()),
  log1p: unary((x) => x.log1p()),
  expm1: unary((x) => x.expm1()),
  erf: unary((x) => x.erf()),
  sign: unary((x) => x.sign()),
  floor: unary((x) => x.floor()),
  'round half to even': unary((x) => x.round()),
  'sin of 0-d': unary((x) => x.sin()),
  'pow 3': unary((x) => x.pow(3)),
  'pow 2.5': unary((x) => x.pow(2.5)),
  'pow -1.5': unary((x) => x.pow(-1.5)),
  'pow 0 at zero': unary((x) => x.pow(0)),
  'pow 1': unary((x) => x.pow(1)),
  'pow 2 at zero': unary((x) => x.pow(2)),
  'pow 0.5 at zero': unary((x) => x.pow(0.5)),
  'pow tensor': binary((a, b) => a.pow(b)),
  'pow tensor zero base': binary((a, b) => a.pow(b)),
  'pow tensor negative base': binary((a, b) => a.pow(b)),
  clamp: unary((x) => x.clamp(-0.5, 0.5)),
  'clamp min only': unary((x) => x.clamp(0)),
  'clamp max only': unary((x) => x.clamp(null, 0)),
  'clamp min above max': unary((x) => x.clamp(1, 0)),
  'add broadcast': binary((a, b) => a.add(b)),
  'sub broadcast': binary((a, b) => a.sub(b)),
  'mul broadcast': binary((a, b) => a.mul(b)),
  'div broadcast': binary((a, b) => a.div(b)),
  'mul 0-d': binary((a, b) => a.mul(b)),
  'maximum with ties': binary((a, b) => a.maximum(b)),
  'minimum with ties': binary((a, b) => a.minimum(b)),
  'maximum broadcast': binary((a, b) => a.maximum(b)),
  'maximum with NaN': binary((a, b) => a.maximum(b)),
  'minimum with NaN': binary((a, b) => a.minimum(b)),
  eq: binary((a, b) => a.eq(b)),
  ne: binary((a, b) => a.ne(b)),
  gt: binary((a, b) => a.gt(b)),
  ge: binary((a, b) => a.ge(b)),
  lt: binary((a, b) => a.lt(b)),
  le: binary((a, b) => a.le(b)),
  where: ([a, b], [c]) => where(c as Tensor, a as Tensor, b as Tensor),
  'where broadcast condition': ([a, b], [c]) => where(c as Tensor, a as Tensor, b as Tensor),
  'sum all': unary((x) => x.sum()),
  'sum dim 1': unary((x) => x.sum(1)),
  'sum dims 0 2 keepdim': unary((x) => x.sum([0, 2], true)),
  'sum negative dim': unary((x) => x.sum(-1)),
  'mean all': unary((x) => x.mean()),
  'mean dim 0 keepdim': unary((x) => x.mean(0, true)),
  'mean dims': unary((x) => x.mean([0, 2])),
  'var all': unary((x) => x.var()),
  'var dim 1 biased': unary((x) => x.var(1, { unbiased: false })),
  'var dim 0 keepdim': unary((x) => x.var(0, { keepdim: true })),
  'std all': unary((x) => x.std()),
  'std dims': unary((x) => x.std([0, 2])),
  'logsumexp dim 1': unary((x) => x.logsumexp(1)),
  'logsumexp large': unary((x) => x.logsumexp(0)),
  'logsumexp dims keepdim': unary((x) => x.logsumexp([0, 2], true)),
  'softmax dim 1': unary((x) => x.softmax(1)),
  'softmax dim 0': unary((x) => x.softmax(0)),
  'softmax large': unary((x) => x.softmax(0)),
  'logSoftmax dim 1': unary((x) => x.logSoftmax(1)),
  'logSoftmax negative dim': unary((x) => x.logSoftmax(-1)),
  'max all': unary((x) => x.max()),
  'max all with ties': unary((x) => x.max()),
  'min all with ties': unary((x) => x.min()),
  'max dim 1': unary((x) => x.max(1)),
  'max dim 1 keepdim': unary((x) => x.max(1, true)),
  'min dim 0': unary((x) => x.min(0)),
  'max dim with ties': unary((x) => x.max(1)),
  'max dims (amax) with ties': unary((x) => x.max([0, 1])),
  'min dims (amin)': unary((x) => x.min([0, 2])),
  'argmax all': unary((x) => x.argmax()),
  'argmax dim with ties': unary((x) => x.argmax(1)),
  'argmin dim keepdim': unary((x) => x.argmin(0, true)),
  'matmul 1-D 1-D': binary((a, b) => a.matmul(b)),
  'matmul 1-D 2-D': binary((a, b) => a.matmul(b)),
  'matmul 2-D 1-D': binary((a, b) => a.matmul(b)),
  'matmul 2-D 2-D': binary((a, b) => a.matmul(b)),
  'matmul batched': binary((a, b) => a.matmul(b)),
  'matmul broadcast batch': binary((a, b) => a.matmul(b)),
  'matmul 3-D 2-D': binary((a, b) => a.matmul(b)),
  'matmul 3-D 1-D': binary((a, b) => a.matmul(b)),
  'matmul 1-D 3-D': binary((a, b) => a.matmul(b)),
  reshape: unary((x) => x.reshape(3, -1).mul(x.reshape(3, -1))),
  permute: unary((x) => x.permute(2, 0, 1).square()),
  'transpose then reshape': unary((x) => {
    const flat = x.transpose(0, 1).reshape(-1);
    return flat.sum(0, true).add(flat.square());
  }),
  expand: unary((x) => x.expand(2, 3, 4).square()),
  'slice with step': unary((x) => x.slice(1, 1, undefined, 2).square()),
  'slice negative': unary((x) => x.slice(0, -2).square()),
  flatten: unary((x) => x.flatten(1).square()),
  'squeeze unsqueeze': unary((x) => x.squeeze(1).unsqueeze(0).square()),
  gather: ([x], [i]) => (x as Tensor).gather(1, i as Tensor).square(),
  'index select': ([x], [i]) => (x as Tensor).indexSelect(0, i as Tensor).square(),
  cat: (xs) => cat(xs, 1).square(),
  'cat dim 0': (xs) => cat(xs, 0).square(),
  stack: (xs) => stack(xs, 1).square(),
  split: unary((x) => rejoin(x.split(2, 1), 1)),
  'split sizes': unary((x) => rejoin(x.split([1, 3], 0), 0)),
  chunk: unary((x) => rejoin(x.chunk(3, 0), 0)),
  'index add': ([x, s], [i]) => (x as Tensor).indexAdd(0, i as Tensor, s as Tensor).square(),
  'scatter add': ([x, s], [i]) => (x as Tensor).scatterAdd(0, i as Tensor, s as Tensor).square(),
  clone: unary((x) => x.clone().square()),
  'to other dtype and back': unary((x) =>
    x
      .to(x.dtype === 'float64' ? 'float32' : 'float64')
      .square()
      .to(x.dtype),
  ),
  isfinite: unary((x) => x.isfinite()),
  'sigmoid extremes': unary((x) => x.sigmoid()),
  'tanh extremes': unary((x) => x.tanh()),
  'exp overflow': unary((x) => x.exp()),
  'log of zero': unary((x) => x.log()),
  'log1p of -1': unary((x) => x.log1p()),
  'sqrt of zero': unary((x) => x.sqrt()),
  'reciprocal of zero': unary((x) => x.reciprocal()),
  'logSoftmax with -inf': unary((x) => x.logSoftmax(0)),
  'softmax with -inf': unary((x) => x.softmax(0)),
  'logsumexp of -inf': unary((x) => x.logsumexp(0)),
  'in-place on a strided slice': unary((x) => {
    const y = x.mul(2);
    y.slice(1, 1, undefined, 2).mul_(3);
    return y.square();
  }),
  'several in-place ops on views of one base': ([x, w]) => {
    const y = (x as Tensor).add(0);
    const v = y.slice(0, 1).slice(1, 0, 1);
    v.mul_(3);
    v.add_(w as Tensor);
    y.select(0, 0).mul_(2);
    return y.mul(v.sum());
  },
  'zero a column in place': unary((x) => {
    const y = x.mul(2);
    y.select(1, 1).zero_();
    return y.square();
  }),
  'in-place on a row with another input': ([x, w]) => {
    const y = (x as Tensor).mul(1);
    y.select(0, 1).add_((w as Tensor).mul(w as Tensor));
    return y.sin();
  },
  'copy into a slice of zeros': unary((x) => {
    const y = zeros([3, 2], { dtype: x.dtype });
    y.slice(0, 1).copy_(x);
    return y.mul(y.sum());
  }),
  'in-place on a transposed slice, read through the view': unary((x) => {
    const y = x.mul(3);
    const v = y.transpose(0, 1).slice(0, 1);
    v.mul_(v.detach().add(1));
    return v.mul(y.sum());
  }),
  'mlp loss': ([x, w, b]) =>
    (x as Tensor)
      .matmul(w as Tensor)
      .add(b as Tensor)
      .tanh()
      .square()
      .mean(),
  'softmax cross entropy': ([x], [i]) =>
    (x as Tensor)
      .logSoftmax(1)
      .gather(1, i as Tensor)
      .mean()
      .neg(),
};
