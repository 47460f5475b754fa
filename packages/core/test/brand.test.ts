import { describe, expect, it } from 'vitest';
import { isTensor, Tensor, tensor } from '../src/index';

describe('isTensor', () => {
  it('recognises tensors by the registry brand, not by class identity', () => {
    expect(isTensor(tensor([1, 2]))).toBe(true);
    expect(isTensor(tensor([1, 2]).mul(2))).toBe(true);
    for (const value of [null, undefined, 1, [1, 2], { shape: [2] }, new Float32Array(2)]) {
      expect(isTensor(value)).toBe(false);
    }
    // What another build's Tensor class carries: the same Symbol.for key on its prototype.
    class OtherBuildTensor {}
    Object.defineProperty(OtherBuildTensor.prototype, Symbol.for('optimgrad.tensor'), { value: true });
    const foreign = new OtherBuildTensor();
    expect(foreign instanceof Tensor).toBe(false);
    expect(isTensor(foreign)).toBe(true);
  });
});
