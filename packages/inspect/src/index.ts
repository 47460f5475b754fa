/** @file @optimgrad/inspect: pictures and explanations of the mathematics of an optimgrad graph. */

export type { LinearLayer } from './bounds/crown-bounds';
export { crownBounds } from './bounds/crown-bounds';
export type { EstimateBoundsOptions } from './bounds/estimate-bounds';
export { estimateBounds } from './bounds/estimate-bounds';
export type { IntervalResult } from './bounds/interval-bounds';
export { intervalBounds } from './bounds/interval-bounds';
export type { IntervalRule } from './bounds/interval-rules';
export { intervalRules } from './bounds/interval-rules';
export { nextDown, nextUp } from './bounds/ulp';
export type {
  StepInput,
  Walkthrough,
  WalkthroughCheck,
  WalkthroughOptions,
  WalkthroughStep,
} from './explain/chain-rule-walkthrough';
export { chainRuleWalkthrough } from './explain/chain-rule-walkthrough';
export type { GradientPath, GradientPathOptions, GradientPaths } from './explain/gradient-paths';
export { explainGradientPaths } from './explain/gradient-paths';
export type { ActivationStatsOptions, ActivationSummary, HookableModule } from './flow/activation-stats';
export { ActivationStats, activationSummary } from './flow/activation-stats';
export type { NonFiniteReport } from './flow/find-first-non-finite';
export { findFirstNonFinite } from './flow/find-first-non-finite';
export type { GradientTrackerOptions, OptimizerLike } from './flow/gradient-tracker';
export { GradientTracker, gradientNormChart, gradientSparklines } from './flow/gradient-tracker';
export type { PathologyOptions } from './flow/pathologies';
export { detectGradientPathologies } from './flow/pathologies';
export type { TensorSummary, ValueView } from './format';
export type { GraphEdge, GraphJson, GraphNode, GraphOptions } from './graph/graph-json';
export { toGraphJson } from './graph/graph-json';
export type { NamedParameters, ParamSource } from './graph/params';
export { toDot, toMermaid } from './graph/to-dot';
export { loadGraphviz, toSvg, toSvgSync } from './graph/to-svg';
export type { Arrow, ChartOptions, MarkerShape, Series } from './svg/chart';
export { arrowChart, escapeXml, lineChart, niceTicks, PALETTE, SERIES_STYLES, sparkline } from './svg/chart';
export type { FieldPoint, Function2D, GradientFieldOptions } from './taylor/gradient-field';
export { gradientField, gradientFieldSvg } from './taylor/gradient-field';
export type { ScalarFunction, TaylorChartOptions, TaylorPlotData, TaylorPlotOptions } from './taylor/taylor';
export { evaluateTaylor, taylor, taylorChart, taylorPlotData, taylorSvg } from './taylor/taylor';
