/**
 * @file The contract-checking backend: validates every kernel call against the `Backend` contract,
 * then runs the inner backend's kernel. Buffer lengths must fit the shapes, strides and offsets (every
 * strided read and write in bounds), dtypes must agree, an output must never share bytes with an input,
 * and counts, dims and indices must be integers in range. A violation throws an Error naming the kernel
 * and the problem. It exists to prove the seam: the whole core test suite runs on it
 * (`OPTIMGRAD_BACKEND=checked`), so an op that reaches around the backend, or passes a kernel a buffer
 * a WebAssembly or worker backend could not handle, fails a test instead of a future backend.
 */
import type { DType, TypedArray } from '../dtype';
import type { Shape } from '../shape';
import type { Backend, FusedParams, StridedView } from './backend';
import { cpuBackend } from './cpu/index';

/** An element range [lo, hi] of one buffer that a kernel reads or writes (null: nothing). */
interface Span {
  readonly name: string;
  readonly data: TypedArray;
  readonly lo: number;
  readonly hi: number;
}

class Checker {
  constructor(readonly kernel: string) {}

  fail(problem: string): never {
    throw new Error(`checked backend: ${this.kernel}: ${problem}`);
  }

  buffer(name: string, data: unknown): TypedArray {
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      this.fail(`${name} must be a Float32Array or Float64Array, got ${describe(data)}`);
    }
    return data;
  }

  count(name: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      this.fail(`${name} must be a non-negative integer, got ${String(value)}`);
    }
    return value;
  }

  finite(name: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(`${name} must be a finite number, got ${String(value)}`);
    return value;
  }

  number(name: string, value: unknown): number {
    if (typeof value !== 'number') this.fail(`${name} must be a number, got ${describe(value)}`);
    return value;
  }

  boolean(name: string, value: unknown): void {
    if (typeof value !== 'boolean') this.fail(`${name} must be a boolean, got ${describe(value)}`);
  }

  shape(name: string, shape: Shape): number {
    if (!Array.isArray(shape)) this.fail(`${name} must be an array of sizes, got ${describe(shape)}`);
    let size = 1;
    shape.forEach((d, i) => {
      size *= this.count(`${name}[${i}]`, d);
    });
    return size;
  }

  length(name: string, data: TypedArray, expected: number): void {
    if (data.length !== expected) this.fail(`${name} has ${data.length} elements but ${expected} are required`);
  }

  dtype(name: string, data: TypedArray, expected: DType): void {
    const actual = dtypeOf(data);
    if (actual !== expected) this.fail(`${name} is ${actual} but ${expected} is required`);
  }

  /** Every element a strided view of `shape` addresses lies inside its buffer; returns the range. */
  view(name: string, view: StridedView, shape: Shape): Span | null {
    const data = this.buffer(`${name}.data`, view?.data);
    const size = this.shape('shape', shape);
    if (!Array.isArray(view.strides) || view.strides.length !== shape.length) {
      this.fail(`${name} has ${view.strides?.length} strides for a shape of ${shape.length} dims`);
    }
    let lo = this.count(`${name}.offset`, view.offset);
    let hi = lo;
    view.strides.forEach((s, d) => {
      if (typeof s !== 'number' || !Number.isInteger(s))
        this.fail(`${name}.strides[${d}] is ${String(s)}, not an integer`);
      const reach = s * ((shape[d] as number) - 1);
      if (reach < 0) lo += reach;
      else hi += reach;
    });
    if (size === 0) return null;
    if (lo < 0 || hi >= data.length) {
      this.fail(
        `${name} reads elements ${lo}..${hi} (offset ${view.offset}, strides [${view.strides.join(', ')}], shape [${shape.join(', ')}]) of a buffer of ${data.length}`,
      );
    }
    return { name, data, lo, hi };
  }

  /** A matmul operand's [row, column] strides: two integers, or undefined for the row-major default. */
  matrixStrides(name: string, strides: unknown, fallback: readonly [number, number]): readonly [number, number] {
    if (strides === undefined) return fallback;
    if (!Array.isArray(strides) || strides.length !== 2 || !strides.every((s) => Number.isInteger(s))) {
      this.fail(`${name} must be two integers [row, column], got ${describe(strides)}`);
    }
    return strides as unknown as readonly [number, number];
  }

  /** Every element of a rows × cols matrix at `offset` with strides (rs, cs) lies inside `data`. */
  matrixReads(what: string, data: TypedArray, offset: number, rows: number, cols: number, rs: number, cs: number) {
    if (!Number.isInteger(offset)) this.fail(`${what} from offset ${offset}, not an integer`);
    if (rows === 0 || cols === 0) return;
    const reachRows = rs * (rows - 1);
    const reachCols = cs * (cols - 1);
    const lo = offset + Math.min(0, reachRows) + Math.min(0, reachCols);
    const hi = offset + Math.max(0, reachRows) + Math.max(0, reachCols) + 1;
    if (lo < 0 || hi > data.length) {
      this.fail(
        `${what}[${lo}..${hi}) of a buffer of ${data.length} (a ${rows}x${cols} matrix at offset ${offset} with strides [${rs}, ${cs}])`,
      );
    }
  }

  whole(name: string, data: TypedArray): Span | null {
    return data.length === 0 ? null : { name, data, lo: 0, hi: data.length - 1 };
  }

  /** The output shares no byte with any input. */
  noAlias(out: Span | null, inputs: readonly (Span | null)[]): void {
    if (out === null) return;
    const [start, end] = bytes(out);
    for (const input of inputs) {
      if (input === null || input.data.buffer !== out.data.buffer) continue;
      const [from, to] = bytes(input);
      if (from < end && start < to) {
        this.fail(
          `the output ${out.name} overlaps the input ${input.name} (bytes ${from}..${to} and ${start}..${end} of one buffer)`,
        );
      }
    }
  }

  indices(name: string, index: TypedArray, size: number): void {
    const at = cpuBackend.firstInvalidIndex(index, size);
    if (at !== -1) this.fail(`${name}[${at}] is ${index[at]}, not an integer in [0, ${size})`);
  }
}

function bytes(span: Span): [number, number] {
  const width = span.data.BYTES_PER_ELEMENT;
  return [span.data.byteOffset + span.lo * width, span.data.byteOffset + (span.hi + 1) * width];
}

function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

function promote(a: TypedArray, b: TypedArray): DType {
  return a instanceof Float64Array || b instanceof Float64Array ? 'float64' : 'float32';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/** Checks the lists of a fused optimizer call: one buffer per parameter in each, lengths and dtypes as the parameter's. */
function fused(
  c: Checker,
  t: FusedParams,
  state: Readonly<Record<string, readonly TypedArray[] | null>>,
  required: readonly string[],
): void {
  const n = t.params.length;
  if (t.grads.length !== n || t.steps.length !== n) {
    c.fail(`${n} params but ${t.grads.length} grads and ${t.steps.length} steps; give one of each per parameter`);
  }
  for (const name of required) if (state[name] === null) c.fail(`${name} is required by these options but is null`);
  const spans: (Span | null)[] = [];
  for (let i = 0; i < n; i++) {
    const p = c.buffer(`params[${i}]`, t.params[i]);
    const g = c.buffer(`grads[${i}]`, t.grads[i]);
    c.length(`grads[${i}]`, g, p.length);
    c.dtype(`grads[${i}]`, g, dtypeOf(p));
    const step = c.count(`steps[${i}]`, t.steps[i]);
    if (step < 1) c.fail(`steps[${i}] is 0; steps count this step, so they start at 1`);
    const own: (Span | null)[] = [c.whole(`params[${i}]`, p)];
    for (const [name, list] of Object.entries(state)) {
      if (list === null) continue;
      if (list.length !== n) c.fail(`${name} has ${list.length} buffers for ${n} params`);
      const b = c.buffer(`${name}[${i}]`, list[i]);
      c.length(`${name}[${i}]`, b, p.length);
      c.dtype(`${name}[${i}]`, b, dtypeOf(p));
      own.push(c.whole(`${name}[${i}]`, b));
    }
    // Every written buffer is distinct from every other and from the gradients.
    const grad = c.whole(`grads[${i}]`, g);
    for (const span of own) {
      c.noAlias(
        span,
        [...spans, grad, ...own].filter((s) => s !== span),
      );
    }
    spans.push(...own);
  }
}

/**
 * Wraps `inner` (the cpu backend by default) so every kernel call is checked before it runs.
 * @example setBackend(createCheckedBackend()); // or setBackend('checked')
 */
export function createCheckedBackend(inner: Backend = cpuBackend): Backend {
  return {
    name: 'checked',
    unary(kind, x, out, p0, p1) {
      const c = new Checker(`unary '${kind}'`);
      c.buffer('x', x);
      c.buffer('out', out);
      c.length('out', out, x.length);
      c.dtype('out', out, dtypeOf(x));
      c.number('p0', p0);
      c.number('p1', p1);
      c.noAlias(c.whole('out', out), [c.whole('x', x)]);
      inner.unary(kind, x, out, p0, p1);
    },
    binary(kind, a, b, out, shape) {
      const c = new Checker(`binary '${kind}'`);
      const size = c.shape('shape', shape);
      const spans = [c.view('a', a, shape), c.view('b', b, shape)];
      c.buffer('out', out);
      c.length('out', out, size);
      c.dtype('out', out, promote(a.data, b.data));
      c.noAlias(c.whole('out', out), spans);
      inner.binary(kind, a, b, out, shape);
    },
    where(cond, a, b, out, shape) {
      const c = new Checker('where');
      const size = c.shape('shape', shape);
      const spans = [c.view('cond', cond, shape), c.view('a', a, shape), c.view('b', b, shape)];
      c.buffer('out', out);
      c.length('out', out, size);
      c.dtype('out', out, promote(a.data, b.data));
      c.noAlias(c.whole('out', out), spans);
      inner.where(cond, a, b, out, shape);
    },
    copy(source, dest, shape) {
      const c = new Checker('copy');
      const from = c.view('source', source, shape);
      const to = c.view('dest', dest, shape);
      c.noAlias(to, [from]);
      inner.copy(source, dest, shape);
    },
    reduce(kind, x, outer, size, inner_, out) {
      const c = new Checker(`reduce '${kind}'`);
      c.buffer('x', x);
      c.buffer('out', out);
      const o = c.count('outer', outer);
      const s = c.count('size', size);
      const r = c.count('inner', inner_);
      c.length('x', x, o * s * r);
      c.length('out', out, o * r);
      if (s === 0 && kind !== 'sum' && o * r > 0) c.fail(`cannot ${kind} over an axis of size 0`);
      c.dtype('out', out, dtypeOf(x));
      c.noAlias(c.whole('out', out), [c.whole('x', x)]);
      inner.reduce(kind, x, outer, size, inner_, out);
    },
    matmul(a, b, out, aOffsets, bOffsets, n, k, m, aStrides, bStrides) {
      const c = new Checker('matmul');
      c.buffer('a', a);
      c.buffer('b', b);
      c.buffer('out', out);
      const rows = c.count('n', n);
      const depth = c.count('k', k);
      const cols = c.count('m', m);
      if (!(aOffsets instanceof Int32Array) || !(bOffsets instanceof Int32Array))
        c.fail('the offsets must be Int32Arrays');
      if (aOffsets.length !== bOffsets.length) {
        c.fail(`${aOffsets.length} offsets into a but ${bOffsets.length} into b; give one of each per batch`);
      }
      const [ars, acs] = c.matrixStrides('aStrides', aStrides, [depth, 1]);
      const [brs, bcs] = c.matrixStrides('bStrides', bStrides, [cols, 1]);
      c.length('out', out, aOffsets.length * rows * cols);
      c.dtype('out', out, promote(a, b));
      for (let i = 0; i < aOffsets.length; i++) {
        c.matrixReads(`batch ${i} reads a`, a, aOffsets[i] as number, rows, depth, ars, acs);
        c.matrixReads(`batch ${i} reads b`, b, bOffsets[i] as number, depth, cols, brs, bcs);
      }
      c.noAlias(c.whole('out', out), [c.whole('a', a), c.whole('b', b)]);
      inner.matmul(a, b, out, aOffsets, bOffsets, n, k, m, aStrides, bStrides);
    },
    indexSelect(x, index, outer, size, inner_, out) {
      const c = new Checker('indexSelect');
      c.buffer('x', x);
      c.buffer('index', index);
      c.buffer('out', out);
      const o = c.count('outer', outer);
      const s = c.count('size', size);
      const r = c.count('inner', inner_);
      c.length('x', x, o * s * r);
      c.length('out', out, o * index.length * r);
      c.dtype('out', out, dtypeOf(x));
      if (o * r > 0) c.indices('index', index, s);
      c.noAlias(c.whole('out', out), [c.whole('x', x), c.whole('index', index)]);
      inner.indexSelect(x, index, outer, size, inner_, out);
    },
    indexAdd(source, index, outer, size, inner_, out) {
      const c = new Checker('indexAdd');
      c.buffer('source', source);
      c.buffer('index', index);
      c.buffer('out', out);
      const o = c.count('outer', outer);
      const s = c.count('size', size);
      const r = c.count('inner', inner_);
      c.length('source', source, o * index.length * r);
      c.length('out', out, o * s * r);
      c.dtype('out', out, promote(source, out));
      if (o * r > 0) c.indices('index', index, s);
      c.noAlias(c.whole('out', out), [c.whole('source', source), c.whole('index', index)]);
      inner.indexAdd(source, index, outer, size, inner_, out);
    },
    gather(x, xShape, index, indexShape, dim, out) {
      const c = new Checker('gather');
      c.buffer('x', x);
      c.buffer('index', index);
      c.buffer('out', out);
      c.length('x', x, c.shape('xShape', xShape));
      const count = c.shape('indexShape', indexShape);
      c.length('index', index, count);
      c.length('out', out, count);
      c.dtype('out', out, dtypeOf(x));
      checkGatherGeometry(c, xShape, indexShape, dim);
      if (count > 0) c.indices('index', index, xShape.length === 0 ? 1 : (xShape[dim] as number));
      c.noAlias(c.whole('out', out), [c.whole('x', x), c.whole('index', index)]);
      inner.gather(x, xShape, index, indexShape, dim, out);
    },
    scatterAdd(source, index, indexShape, dim, out, outShape) {
      const c = new Checker('scatterAdd');
      c.buffer('source', source);
      c.buffer('index', index);
      c.buffer('out', out);
      const count = c.shape('indexShape', indexShape);
      c.length('index', index, count);
      c.length('source', source, count);
      c.length('out', out, c.shape('outShape', outShape));
      c.dtype('out', out, promote(source, out));
      checkGatherGeometry(c, outShape, indexShape, dim);
      if (count > 0) c.indices('index', index, outShape.length === 0 ? 1 : (outShape[dim] as number));
      c.noAlias(c.whole('out', out), [c.whole('source', source), c.whole('index', index)]);
      inner.scatterAdd(source, index, indexShape, dim, out, outShape);
    },
    allocate(dtype, length) {
      const c = new Checker('allocate');
      if (dtype !== 'float32' && dtype !== 'float64') c.fail(`unknown dtype ${describe(dtype)}`);
      c.count('length', length);
      const data = inner.allocate(dtype, length);
      c.length('the allocated buffer', data, length);
      c.dtype('the allocated buffer', data, dtype);
      return data;
    },
    firstInvalidIndex(index, size) {
      const c = new Checker('firstInvalidIndex');
      c.buffer('index', index);
      c.count('size', size);
      return inner.firstInvalidIndex(index, size);
    },
    vectorNorm(x, p) {
      const c = new Checker('vectorNorm');
      c.buffer('x', x);
      if (Number.isNaN(c.number('p', p))) c.fail('the order p is NaN');
      return inner.vectorNorm(x, p);
    },
    binaryCrossEntropy(x, y, out) {
      const c = new Checker('binaryCrossEntropy');
      c.buffer('x', x);
      c.buffer('y', y);
      c.buffer('out', out);
      c.length('y', y, x.length);
      c.length('out', out, x.length);
      c.dtype('y', y, dtypeOf(x));
      c.dtype('out', out, dtypeOf(x));
      c.noAlias(c.whole('out', out), [c.whole('x', x), c.whole('y', y)]);
      inner.binaryCrossEntropy(x, y, out);
    },
    sgdStep(t, o) {
      const c = new Checker('sgdStep');
      for (const key of ['lr', 'momentum', 'dampening', 'weightDecay'] as const) c.finite(key, o[key]);
      c.boolean('nesterov', o.nesterov);
      c.boolean('maximize', o.maximize);
      if (t.momentumBuffers !== null && t.fresh.length !== t.params.length) {
        c.fail(`${t.params.length} params but ${t.fresh.length} fresh flags; give one per momentum buffer`);
      }
      fused(c, t, { momentumBuffers: t.momentumBuffers }, o.momentum !== 0 ? ['momentumBuffers'] : []);
      inner.sgdStep(t, o);
    },
    adamStep(t, o) {
      const c = new Checker('adamStep');
      for (const key of ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'] as const) c.finite(key, o[key]);
      c.boolean('decoupled', o.decoupled);
      c.boolean('amsgrad', o.amsgrad);
      c.boolean('maximize', o.maximize);
      fused(
        c,
        t,
        { expAvgs: t.expAvgs, expAvgSqs: t.expAvgSqs, maxExpAvgSqs: t.maxExpAvgSqs },
        o.amsgrad ? ['maxExpAvgSqs'] : [],
      );
      inner.adamStep(t, o);
    },
    rmspropStep(t, o) {
      const c = new Checker('rmspropStep');
      for (const key of ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'] as const) c.finite(key, o[key]);
      c.boolean('centered', o.centered);
      c.boolean('maximize', o.maximize);
      const required = [...(o.momentum > 0 ? ['momentumBuffers'] : []), ...(o.centered ? ['gradAvgs'] : [])];
      fused(c, t, { squareAvgs: t.squareAvgs, momentumBuffers: t.momentumBuffers, gradAvgs: t.gradAvgs }, required);
      inner.rmspropStep(t, o);
    },
    adagradStep(t, o) {
      const c = new Checker('adagradStep');
      for (const key of ['lr', 'lrDecay', 'weightDecay', 'eps'] as const) c.finite(key, o[key]);
      c.boolean('maximize', o.maximize);
      fused(c, t, { sums: t.sums }, []);
      inner.adagradStep(t, o);
    },
  };
}

function checkGatherGeometry(c: Checker, shape: Shape, indexShape: Shape, dim: number): void {
  if (indexShape.length !== shape.length)
    c.fail(`index has ${indexShape.length} dims but the tensor has ${shape.length}`);
  const ndim = Math.max(shape.length, 1);
  if (!Number.isInteger(dim) || dim < 0 || dim >= ndim) c.fail(`dim ${dim} is not a dim of a ${shape.length}-d tensor`);
  indexShape.forEach((d, i) => {
    if (i !== dim && d > (shape[i] as number)) {
      c.fail(`index shape [${indexShape.join(', ')}] exceeds shape [${shape.join(', ')}] at dim ${i}`);
    }
  });
}

/** The cpu kernels, each call checked against the Backend contract. */
export const checkedBackend: Backend = createCheckedBackend(cpuBackend);
