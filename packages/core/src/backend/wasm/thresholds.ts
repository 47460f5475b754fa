/**
 * @file Sizes below which a wasm backend call costs more than the cpu kernel it replaces: a call pays about
 * 2 µs (binary, where, copy: coalescing strides and placing operands) or 0.4 µs (unary, reduce) before the
 * first element, while the cpu loops take 1–4 ns per element (measured on the machine of BACKEND.md). Smaller
 * calls go to the fallback. Tests set these to 0 to run every kernel on small shapes.
 */
export const smallest = {
  /** Output elements of binary, where and copy. */
  strided: 512,
  /** Elements of a unary call. */
  unary: 128,
  /** Input elements of a reduction. */
  reduce: 512,
};
