/**
 * @file The buffer behind one or more tensors, with the version counter that guards saved tensors. The buffer
 * comes from the active backend's `allocate` and is freed by the garbage collector (see BACKEND.md).
 */
import type { TypedArray } from './dtype';

export class Storage {
  /** Bumped by every in-place write; backward compares it with the version an op saved. */
  version = 0;
  constructor(readonly data: TypedArray) {}
}
