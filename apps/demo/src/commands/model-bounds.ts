/**
 * @file `bounds --weights FILE --eps 0.01 --index 0`: sound interval bounds of a trained digits
 * model's logits over every image within ±eps of a test digit, and whether they prove that the
 * prediction cannot change there.
 */
import { loadDigits } from '../data/digits';
import { UsageError } from '../errors';
import { modelBounds } from '../report/model-bounds';
import { formatNumber, type Print } from '../terminal/output';
import { loadModel } from '../training/weights';

/**
 * Random samples `bounds --weights` compares with when `--samples` is not given: fewer than for an
 * expression, since each one is a forward pass of the whole network.
 */
export const MODEL_BOUNDS_SAMPLES = 200;

/** Options of the model form of the bounds command. */
export interface ModelBoundsOptions {
  readonly weights: string;
  readonly eps: number;
  readonly index: number;
  readonly samples: number;
}

/**
 * Prints per-class logit bounds around one test digit and returns whether the prediction is certified.
 * @example runModelBounds({ weights: 'report/model.safetensors', eps: 0.01, index: 0, samples: 200 }, console.log);
 */
export function runModelBounds(options: ModelBoundsOptions, print: Print): boolean {
  const { model, sizes } = loadModel(options.weights);
  if (sizes[0] !== 784) {
    throw new UsageError(
      `--weights ${options.weights}: the model takes ${sizes[0]} inputs; bounds --weights needs a digits model (784 inputs)`,
    );
  }
  const { test } = loadDigits();
  const count = test.x.shape[0] as number;
  if (options.index >= count)
    throw new UsageError(`--index: ${options.index} is past the last test digit (${count - 1})`);
  const label = test.y.data[options.index] as number;
  const result = modelBounds(model, test.x.select(0, options.index), label, [options.eps], options.samples, [0, 1]);
  const box = result.boxes[0];
  if (box === undefined) throw new Error('bounds: no box was computed');
  print(
    `test digit #${options.index} (label ${label}) is predicted as ${result.predicted}; every pixel may move by ±${options.eps} (within [0, 1])`,
  );
  print(
    `class  ${['logit', 'interval lo', 'CROWN lo', 'sampled min', 'sampled max', 'CROWN hi', 'interval hi'].map((h) => h.padStart(12)).join('  ')}`,
  );
  result.logits.forEach((logit, c) => {
    const crown = box.crown;
    const cells = [
      logit,
      box.lower[c],
      crown?.lower[c],
      box.sampledLower[c],
      box.sampledUpper[c],
      crown?.upper[c],
      box.upper[c],
    ].map((v) => (v === undefined ? '-' : formatNumber(v, 5)).padStart(12));
    print(`  ${c}${c === result.predicted ? '*' : ' '}  ${cells.join('  ')}`);
  });
  print(
    `every sample inside the interval${box.crown ? ' and CROWN' : ''} bounds: ${box.sound ? 'yes' : 'NO'} (${box.samples} samples)`,
  );
  const verdict = (name: string, certified: boolean) =>
    certified
      ? `${name}: certified (the lower bound of class ${result.predicted} is above every other upper bound, so no image in the box changes the prediction)`
      : `${name}: not certified (the bounds overlap; try a smaller --eps)`;
  print(verdict('interval bounds', box.certified));
  if (box.crown) print(verdict('CROWN bounds', box.crown.certified));
  return box.certified || box.crown?.certified === true;
}
