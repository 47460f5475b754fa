/** @file Types for the `mnist` package (10,000 labelled 28×28 digits as raw pixel arrays in [0, 1]). */
declare module 'mnist' {
  /** All samples of one digit class, 784 values per image, row-major. */
  interface MnistDigit {
    readonly id: number;
    readonly raw: readonly number[];
    readonly length: number;
  }
  const mnist: readonly MnistDigit[];
  export default mnist;
}
