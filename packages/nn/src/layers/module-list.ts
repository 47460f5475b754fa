/**
 * @file `ModuleList`: holds submodules in a list, registered as `'0'`, `'1'`, ... like
 * `torch.nn.ModuleList`, so their parameters are found and their keys are PyTorch's. It has no
 * forward of its own; the owning module decides how to call the entries.
 */
import type { Tensor } from '@optimgrad/core';
import { Module } from '../module';

/**
 * A list of modules whose parameters belong to the owner.
 * @example const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]); for (const b of blocks) x = b.call(x);
 */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  private readonly items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds `module` at the end, named by its position. */
  append(module: M): this {
    this.registerModule(String(this.items.length), module);
    this.items.push(module);
    return this;
  }

  /** The number of entries. */
  get length(): number {
    return this.items.length;
  }

  /** The entry at `index` (negative counts from the end). */
  at(index: number): M {
    const i = index < 0 ? index + this.items.length : index;
    const item = this.items[i];
    if (!Number.isInteger(i) || item === undefined) {
      throw new Error(`ModuleList.at: index ${index} is out of range for ${this.items.length} modules`);
    }
    return item;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  override forward(..._inputs: Tensor[]): Tensor {
    throw new Error('ModuleList: has no forward; iterate over it and call each module instead');
  }
}
