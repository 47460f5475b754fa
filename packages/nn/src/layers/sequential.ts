/**
 * @file `Sequential`: runs its children in order, registered as `'0'`, `'1'`, ... so parameter keys
 * are PyTorch's (`'0.weight'`, `'2.bias'`).
 */
import type { Tensor } from '@optimgrad/core';
import { Module } from '../module';

/**
 * A chain of modules; `call(x)` feeds each child's output to the next (hooks of each child run).
 * @example const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1));
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds `module` at the end, named by its position. */
  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** The number of children. */
  get length(): number {
    return this.children().length;
  }

  /** The child at `index` (negative counts from the end). */
  at(index: number): Module {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new Error(`Sequential.at: index ${index} is out of range for ${n} modules`);
    return this.getModule(String(i));
  }

  override forward(x: Tensor): Tensor {
    let out = x;
    for (const m of this.children()) out = m.call(out);
    return out;
  }
}
