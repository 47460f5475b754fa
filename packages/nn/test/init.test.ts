import { manualSeed, type Tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import * as nn from '../src/index';
import {
  calculateFanInAndFanOut,
  calculateGain,
  constant_,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros_,
} from '../src/init';
import { Embedding } from '../src/layers/embedding';
import { Linear } from '../src/layers/linear';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.data);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('init', () => {
  it('calculateGain returns torch.nn.init.calculate_gain values', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('conv2d')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain('selu')).toBe(0.75);
  });

  it('computes fan in and fan out like PyTorch, including kernel dimensions', () => {
    expect(calculateFanInAndFanOut(zeros([4, 3]))).toEqual([3, 4]);
    expect(calculateFanInAndFanOut(zeros([8, 2, 5]))).toEqual([10, 40]);
    expect(() => calculateFanInAndFanOut(zeros([3]))).toThrow(/fewer than 2 dimensions/);
  });

  it('xavierUniform_ stays within gain·√(6/(fanIn+fanOut)) with the matching spread', () => {
    manualSeed(1);
    const t = xavierUniform_(zeros([200, 300]), 2);
    const bound = 2 * Math.sqrt(6 / 500);
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 2);
  });

  it('xavierNormal_ and kaimingNormal_ have the prescribed standard deviation', () => {
    manualSeed(2);
    expect(stats(xavierNormal_(zeros([200, 300]))).std).toBeCloseTo(Math.sqrt(2 / 500), 3);
    const k = stats(kaimingNormal_(zeros([300, 200]), { nonlinearity: 'relu' }));
    expect(k.std / (Math.SQRT2 / Math.sqrt(200))).toBeCloseTo(1, 1);
    const fanOut = stats(kaimingNormal_(zeros([300, 200]), { mode: 'fan_out', nonlinearity: 'relu' }));
    expect(fanOut.std / (Math.SQRT2 / Math.sqrt(300))).toBeCloseTo(1, 1);
  });

  it('kaimingUniform_ bound is gain·√(3/fanIn)', () => {
    manualSeed(3);
    const s = stats(kaimingUniform_(zeros([100, 400]), { nonlinearity: 'relu' }));
    const bound = Math.SQRT2 * Math.sqrt(3 / 400);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(0.95 * bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
  });

  it('fills constants, uniform and normal values in place on a parameter', () => {
    const layer = new Linear(3, 2);
    expect(zeros_(layer.weight)).toBe(layer.weight);
    expect(Array.from(layer.weight.data)).toEqual([0, 0, 0, 0, 0, 0]);
    ones_(layer.weight);
    expect(Array.from(layer.weight.data)).toEqual([1, 1, 1, 1, 1, 1]);
    constant_(layer.weight, 0.5);
    expect(Array.from(layer.weight.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const u = stats(uniform_(zeros([10000]), 2, 3));
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(3);
    const n = stats(normal_(zeros([10000]), 5, 0.5));
    expect(n.mean).toBeCloseTo(5, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    expect(layer.weight.requiresGrad).toBe(true);
  });

  it('gives Linear PyTorch default init: weight and bias within ±1/√inFeatures', () => {
    manualSeed(4);
    const layer = new Linear(64, 256);
    const bound = 1 / 8;
    const w = stats(layer.weight);
    const b = stats(layer.bias as Tensor);
    expect(Math.max(-w.min, w.max)).toBeLessThanOrEqual(bound);
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(Math.max(-b.min, b.max)).toBeLessThanOrEqual(bound);
  });

  it('gives Embedding N(0, 1) weights and a zero padding row', () => {
    manualSeed(5);
    const e = new Embedding(100, 100, { paddingIdx: 3 });
    const s = stats(e.weight);
    expect(s.mean).toBeCloseTo(0, 1);
    expect(s.std).toBeCloseTo(1, 1);
    expect(Array.from(e.weight.slice(0, 3, 4).data).every((v) => v === 0)).toBe(true);
  });

  it('is reproducible with manualSeed', () => {
    manualSeed(42);
    const a = Array.from(new Linear(4, 4).weight.data);
    manualSeed(42);
    const b = Array.from(new Linear(4, 4).weight.data);
    expect(a).toEqual(b);
  });

  it('is exported both as the init namespace and as individual names', () => {
    expect(nn.init.xavierUniform_).toBe(xavierUniform_);
    expect(nn.kaimingUniform_).toBe(kaimingUniform_);
    expect(nn.init.calculateGain('relu')).toBe(Math.SQRT2);
  });
});
