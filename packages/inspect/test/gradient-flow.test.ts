import { manualSeed, noGrad, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  ActivationStats,
  activationSummary,
  detectGradientPathologies,
  findFirstNonFinite,
  GradientTracker,
  sparkline,
} from '../src/index';
import { FakeModule, fakeLinear, fakeSequential } from './fake-module';

function param(shape: number[]): Tensor {
  const p = randn(shape, { dtype: 'float64' });
  p.requiresGrad = true;
  return p;
}

function makeModel() {
  manualSeed(11);
  const l1 = fakeLinear(param([5, 3]), param([5]));
  const l2 = fakeLinear(param([1, 5]), param([1]));
  return fakeSequential(l1, new FakeModule((x) => x.relu()), l2);
}

function norm(t: Tensor | null): number {
  return Math.sqrt([...(t?.data ?? [])].reduce((s, v) => s + v * v, 0));
}

describe('GradientTracker', () => {
  it('records per-parameter gradient norms after each backward, keyed by parameter name', () => {
    const model = makeModel();
    const tracker = new GradientTracker(model);
    const x = randn([8, 3], { dtype: 'float64' });
    for (let step = 0; step < 3; step++) {
      for (const [, p] of model.namedParameters()) p.zeroGrad();
      model.forward(x).square().mean().backward();
      tracker.record();
    }
    expect(Object.keys(tracker.history)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const w = model.namedParameters()[0]?.[1] as Tensor;
    expect(tracker.history['0.weight']).toHaveLength(3);
    expect(tracker.history['0.weight']?.[2]).toBeCloseTo(norm(w.grad), 12);
    expect(tracker.steps).toBe(3);
    expect(tracker.toString().split('\n')).toHaveLength(4);
  });

  it('measures update/weight ratios around an SGD step: ‖Δw‖/‖w‖ = lr·‖g‖/‖w‖', () => {
    const model = makeModel();
    const params = model.namedParameters().map(([, p]) => p);
    const optimizer = {
      paramGroups: [{ lr: 0.05, params }],
      step() {
        noGrad(() => {
          for (const p of params) p.sub_((p.grad as Tensor).mul(0.05));
        });
      },
    };
    const tracker = new GradientTracker(model, { optimizer });
    expect(() => tracker.recordUpdate()).toThrow(/call record\(\) before optimizer.step\(\)/);
    model
      .forward(randn([4, 3], { dtype: 'float64' }))
      .sum()
      .backward();
    const before = params.map((p) => norm(p));
    tracker.record();
    optimizer.step();
    tracker.recordUpdate();
    model.namedParameters().forEach(([name, p], i) => {
      expect(tracker.updateRatios[name]?.[0]).toBeCloseTo((0.05 * norm(p.grad)) / (before[i] as number), 10);
      expect(tracker.learningRates[name]).toEqual([0.05]);
    });
    expect(tracker.toString()).toContain('update/weight');
  });

  it('draws gradient norms as an SVG line chart on a log scale', () => {
    const tracker = new GradientTracker({ namedParameters: () => [] });
    Object.assign(tracker.history, { a: [1, 0.1, 0.01], b: [2, 3, 4] });
    const svg = tracker.toSvg();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    // 0.01 .. 4 rounds out to the decades 0.01 .. 10: one tick label per power of ten.
    for (const tick of ['0.01', '0.1', '1', '10']) expect(svg).toContain(`>${tick}</text>`);
    expect(svg).toContain('>a<');
  });
});

describe('detectGradientPathologies', () => {
  it('warns about vanishing, exploding and non-finite recent norms and leaves healthy ones out', () => {
    const warnings = detectGradientPathologies(
      {
        healthy: [0.5, 0.4, 0.3],
        vanishing: [1, 1e-8, 1e-9, 1e-9],
        exploding: [1, 500, 800],
        broken: [1, Number.NaN],
      },
      { window: 3 },
    );
    expect(Object.keys(warnings).sort()).toEqual(['broken', 'exploding', 'vanishing']);
    expect(warnings.vanishing?.[0]).toMatch(
      /^vanishing gradient: mean norm 4\.00e-9 over the last 3 steps is below 0.000001/,
    );
    expect(warnings.exploding?.[0]).toMatch(/^exploding gradient: mean norm 4\.34e\+2/);
    expect(warnings.broken?.[0]).toMatch(/non-finite/);
    expect(detectGradientPathologies({ v: [1, 1e-8] }, { window: 2 })).toEqual({});
    expect(() => detectGradientPathologies({}, { low: 1, high: 0 })).toThrow(/low \(1\) must be smaller/);
  });
});

describe('ActivationStats', () => {
  it('records mean, std, min, max and dead-ReLU fractions through forward hooks', () => {
    const w = tensor(
      [
        [1, 0],
        [0, 1],
        [-1, -1],
      ],
      { dtype: 'float64' },
    );
    const b = tensor([0, -10, -100], { dtype: 'float64' });
    const model = fakeSequential(fakeLinear(w, b), new FakeModule((x) => x.relu()));
    const stats = new ActivationStats(model);
    const x = tensor(
      [
        [1, 2],
        [3, -4],
      ],
      { dtype: 'float64' },
    );
    model.forward(x);
    // Linear output: [[1, -8, -103], [3, -14, -99]]; ReLU: [[1, 0, 0], [3, 0, 0]].
    const relu = stats.latest['1'];
    expect(relu).toMatchObject({ min: 0, max: 3, zeroFraction: 4 / 6, deadFraction: 2 / 3 });
    expect(relu?.mean).toBeCloseTo(4 / 6, 12);
    expect(relu?.std).toBeCloseTo(Math.sqrt(((1 / 3) ** 2 + (7 / 3) ** 2 + 4 * (2 / 3) ** 2) / 5), 12);
    expect(stats.latest['0']).toMatchObject({ min: -103, max: 3, deadFraction: 0 });
    model.forward(x);
    expect(stats.history['1']).toHaveLength(2);
    stats.remove();
    model.forward(x);
    expect(stats.history['1']).toHaveLength(2);
    expect(stats.toString()).toContain('67%');
  });

  it('counts a unit as dead only when it is zero for every sample', () => {
    expect(
      activationSummary(
        tensor([
          [0, 1],
          [0, 0],
        ]),
      ).deadFraction,
    ).toBe(0.5);
    expect(
      activationSummary(
        tensor([
          [0, 1],
          [2, 0],
        ]),
      ).deadFraction,
    ).toBe(0);
  });
});

describe('findFirstNonFinite', () => {
  it('names the first op whose forward produced NaN', () => {
    const x = tensor([1, -1], { requiresGrad: true });
    const report = findFirstNonFinite(() => x.mul(2).log().exp().sum().backward());
    expect(report).toMatchObject({ op: 'log', phase: 'forward', index: 1 });
    expect(Number.isNaN(report?.value)).toBe(true);
  });

  it('names the op whose backward produced Infinity from a finite gradient', () => {
    const x = tensor([0, 4], { requiresGrad: true });
    const report = findFirstNonFinite(() => x.sqrt().sum().backward());
    expect(report).toMatchObject({ op: 'sqrt', phase: 'backward', index: 0, value: Number.POSITIVE_INFINITY });
  });

  it('returns null when everything stays finite and rethrows other errors', () => {
    expect(findFirstNonFinite(() => tensor([1]).exp())).toBeNull();
    expect(() =>
      findFirstNonFinite(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
  });
});

describe('sparkline', () => {
  it('maps values to eight bar heights, on a log scale when asked, and marks non-finite values', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([1, 10, 100], { log: true })).toBe('▁▅█');
    expect(sparkline([1, Number.NaN, 3])).toBe('▁!█');
  });
});
