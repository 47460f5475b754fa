/**
 * @file Graph memory after backward: a backward without retainGraph releases the intermediate values
 * a graph holds (a kept loss does not pin its step's activations), while `gradFn.inputs` and
 * `gradFn.output` still give the forward's values, recomputed from the leaves, or refuse clearly
 * when a leaf changed since. The gc tests run with --expose-gc (vitest.config.ts).
 */
import { describe, expect, it } from 'vitest';
import { type GradFn, grad, manualSeed, noGrad, randn, type Tensor, tensor } from '../src/index';

type Gc = () => void;
const gc = (globalThis as { gc?: Gc }).gc;

const f64 = (data: number | number[], requiresGrad = true) => tensor(data, { dtype: 'float64', requiresGrad });

/** Lets the current job end, so objects only a just-created WeakRef held can be collected. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('gradFn values after backward', () => {
  it('recomputes intermediate inputs from the leaves, with the forward values and producers', () => {
    const x = f64([1, 2, 3]);
    const w = f64([0.5, -1, 2]);
    const h = x.mul(w).tanh();
    const before = Array.from(h.data);
    const loss = h.square().sum();
    const square = (loss.gradFn as GradFn).inputs[0]?.gradFn as GradFn;
    loss.backward();
    expect(square.freed).toBe(true);
    const input = square.inputs[0] as Tensor;
    expect(input).not.toBe(h); // the graph no longer holds h: this is a recomputed tensor
    expect(Array.from(input.data)).toEqual(before);
    expect(input.gradFn?.name).toBe('tanh');
    expect(input.requiresGrad).toBe(true);
    const mul = input.gradFn?.inputs[0]?.gradFn as GradFn;
    expect(mul.name).toBe('mul');
    expect(mul.inputs[0]).toBe(x); // leaves are the user's tensors and stay
    expect(mul.inputs[1]).toBe(w);
    expect(Array.from(square.output.data)).toEqual(before.map((v) => v * v));
    expect(square.outputShape).toEqual([3]);
    expect(square.inputShapes).toEqual([[3]]);
    expect(square.outputDType).toBe('float64');
  });

  it('keeps the tensors themselves with retainGraph', () => {
    const x = f64([1, 2]);
    const h = x.exp();
    const loss = h.sum();
    loss.backward(undefined, { retainGraph: true });
    expect(loss.gradFn?.inputs[0]).toBe(h);
    expect(loss.gradFn?.freed).toBe(false);
    loss.backward();
    expect(loss.gradFn?.freed).toBe(true);
    expect(loss.gradFn?.heldOutput).toBeNull();
  });

  it('frees after grad() without retainGraph, as after backward()', () => {
    const x = f64([1, 2]);
    const loss = x.sin().sum();
    const [g] = grad(loss, [x]);
    expect(g).toBeAllClose([Math.cos(1), Math.cos(2)]);
    expect(loss.gradFn?.freed).toBe(true);
    expect(loss.gradFn?.inputs[0]).toBeAllClose([Math.sin(1), Math.sin(2)]);
  });

  it('refuses to recompute once a leaf changed in place, naming the op and how to avoid it', () => {
    const w = f64([1, 2]);
    const loss = w.mul(3).exp().sum();
    loss.backward();
    noGrad(() => w.sub_((w.grad as Tensor).mul(0.1))); // what optimizer.step() does
    expect(() => loss.gradFn?.inputs).toThrow(
      /gradFn: the graph of 'mul' was freed by backward\(\), so its intermediate values are recomputed from its leaves, but input 0 of 'mul' \(a leaf of shape \[2\]\) was changed in place since the forward pass \(version 1; expected 0\), e\.g\. by optimizer\.step\(\)\. .*retainGraph: true/,
    );
  });

  it('recomputes through in-place ops, on tensors and on views, and casts as the in-place op did', () => {
    const x = f64([1, 2, 3, 4]);
    const y = x.mul(2);
    y.add_(1);
    const b = y.mul(1);
    b.slice(0, 1, 3).mul_(3);
    const c = b.float(); // float32 from here on
    c.add_(tensor([0.25], { dtype: 'float64' })); // a float64 result written into float32
    const loss = c.square().sum();
    const expected = { y: Array.from(y.data), b: Array.from(b.data), c: Array.from(c.data) };
    const square = (loss.gradFn as GradFn).inputs[0]?.gradFn as GradFn;
    loss.backward();
    const cAgain = square.inputs[0] as Tensor;
    expect(cAgain.dtype).toBe('float32');
    expect(Array.from(cAgain.data)).toEqual(expected.c);
    const bAgain = cAgain.gradFn?.inputs[0]?.gradFn?.inputs[0] as Tensor; // add's input 0 is to(b)
    expect(Array.from(bAgain.data)).toEqual(expected.b);
    expect(bAgain.gradFn?.name).toBe(b.gradFn?.name);
    const yAgain = (bAgain.gradFn as GradFn).inputs[0]?.gradFn?.inputs[0] as Tensor;
    expect(Array.from(yAgain.data)).toEqual(expected.y);
  });

  it('recomputes a 20,000-op chain without overflowing the stack', () => {
    const x = f64(1);
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.mul(1.0001);
    const loss = y.square();
    loss.backward();
    expect(loss.gradFn?.inputs[0]?.item()).toBeCloseTo(1.0001 ** 20_000, 6);
  });
});

describe('backward after the graph was freed', () => {
  it('still runs twice through ops that saved nothing, with hooks, retainGrad and grad()', () => {
    const x = f64([1, 2]);
    const h = x.add(1);
    const seen: number[] = [];
    h.registerHook((g) => {
      seen.push(g.sum().item());
      return undefined;
    });
    const r = x.sub(1);
    r.retainGrad();
    const loss = h.add(r).sum();
    loss.backward();
    loss.backward();
    expect(x.grad).toBeAllClose([4, 4]);
    expect(seen).toEqual([2, 2]);
    expect(r.grad).toBeAllClose([2, 2]);
    const [gh] = grad(loss, [h]);
    expect(gh).toBeAllClose([1, 1]);
  });

  it('still refuses a second backward through ops that saved values', () => {
    const x = f64(2);
    const y = x.mul(x).exp();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/);
  });
});

describe.skipIf(!gc)('memory of kept outputs (needs --expose-gc)', () => {
  it('lets an intermediate activation be collected after backward while its loss is kept', async () => {
    manualSeed(3);
    const w = randn([64, 256]);
    w.requiresGrad = true;
    const collected: string[] = [];
    const registry = new FinalizationRegistry<string>((what) => collected.push(what));
    const history: Tensor[] = [];
    const refs: WeakRef<object>[] = [];
    const step = (retainGraph: boolean, tag: string) => {
      const x = randn([32, 64]);
      const hidden = x.matmul(w).relu();
      registry.register(hidden._storage.data, tag);
      refs.push(new WeakRef(hidden._storage.data));
      const loss = hidden.square().mean();
      loss.backward(undefined, { retainGraph });
      history.push(loss);
    };
    step(false, 'freed');
    step(true, 'retained'); // the control: a retained graph holds its activation
    for (let i = 0; i < 20 && !collected.includes('freed'); i++) {
      await nextTask();
      (gc as Gc)();
    }
    expect(refs[0]?.deref()).toBeUndefined();
    expect(refs[1]?.deref()).toBeDefined();
    expect(collected).toEqual(['freed']);
    // The kept losses are intact, and the freed step can still be explained from its leaves.
    expect(history[0]?.gradFn?.inputs[0]?.gradFn?.name).toBe('sum'); // mean = sum / n
    expect(Number.isFinite(history[0]?.item())).toBe(true);
  });

  it('keeps the heap flat when a training loop keeps every loss of an MLP with large activations', () => {
    manualSeed(4);
    const x = randn([256, 16]);
    const target = randn([256, 1]);
    const params: Tensor[] = [randn([16, 512]).mul(0.25), randn([512]).mul(0.1), randn([512, 1]).mul(0.05)];
    for (const p of params) p.requiresGrad = true;
    const [w1, b1, w2] = params as [Tensor, Tensor, Tensor];
    // Three activations of 256 x 512 float32 (matmul, add, tanh) per step.
    const activationBytes = 3 * 256 * 512 * 4;
    const steps = 30;
    const heap = () => {
      (gc as Gc)();
      (gc as Gc)();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const run = (keep: boolean, retainGraph: boolean): number => {
      const history: Tensor[] = [];
      const start = heap();
      for (let i = 0; i < steps; i++) {
        const loss = x.matmul(w1).add(b1).tanh().matmul(w2).sub(target).square().mean();
        loss.backward(undefined, { retainGraph });
        noGrad(() => {
          for (const p of params) {
            p.sub_((p.grad as Tensor).mul(0.01));
            p.grad = null;
          }
        });
        if (keep) history.push(loss);
      }
      const growth = heap() - start;
      expect(history.length).toBe(keep ? steps : 0); // keeps history alive until measured
      return growth;
    };
    run(false, false); // warm-up
    const dropped = run(false, false);
    const kept = run(true, false);
    const pinned = run(true, true);
    // Sensitivity: retained graphs pin every step's activations...
    expect(pinned).toBeGreaterThan(0.8 * steps * activationBytes);
    // ...freed graphs pin none: the kept losses and graph structure cost far less than one step's activations.
    expect(kept - dropped).toBeLessThan(activationBytes);
    // Seconds alone; forced collections slow down many times over when other test processes share the cores.
  }, 300_000);
});
