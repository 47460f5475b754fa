/** @file @optimgrad/clip: gradient clipping by norm or value, identical to torch.nn.utils.clip_grad_*. */
export type { ClipGradNormOptions } from './clip-grad';
export { clipGradNorm, clipGradValue } from './clip-grad';
export { vectorNorm } from './vector-norm';
