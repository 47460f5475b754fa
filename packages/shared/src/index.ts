/**
 * @file What the demo and the playground share (a private workspace package, bundled from source by both):
 * the expression parser behind `explain`, `bounds` and `taylor`, and the toy 2-D datasets.
 */
export { type CompiledExpression, compileExpression, ExpressionError } from './compile-expression';
export {
  TOY_CLASSES,
  TOY_DATASETS,
  TOY_DEFAULT_NOISE,
  type ToyDatasetName,
  type ToyPoints,
  type ToyPointsOptions,
  toyPoints,
} from './toy-datasets';
