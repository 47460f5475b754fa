/**
 * @file How a tensor prints (`toString`, Node's inspect): values rounded as PyTorch shows them, then
 * the dtype and graph state when they differ from the defaults.
 */
import { formatNumber } from './formatting';
import type { Tensor } from './tensor';

/** A value as PyTorch prints it: integers with a trailing dot, others to 6 significant digits. */
function formatValue(v: number): string {
  return formatNumber(v, { exactIntegersBelow: 1e16, integerSuffix: '.' });
}

/** `tensor([[1, 2], [3, 4]], dtype=float64, gradFn=mul)`. */
export function formatTensor(t: Tensor): string {
  const body = JSON.stringify(t.toArray(), (_k, v) =>
    typeof v === 'number' ? Number(formatValue(v).replace(/\.$/, '')) : v,
  );
  const extras = [
    t.dtype !== 'float32' ? `dtype=${t.dtype}` : '',
    t.gradFn ? `gradFn=${t.gradFn.name}` : t.requiresGrad ? 'requiresGrad=true' : '',
  ].filter(Boolean);
  return `tensor(${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}
