/**
 * @file User-facing errors. A `UsageError` is a mistake in what the user typed (a bad flag value, an
 * unknown dataset, a missing file); the CLI prints its message as one line, without a stack trace.
 */

/**
 * An error caused by the user's input; printed as a single line and exit code 1.
 * @example throw new UsageError('train: unknown dataset "mnist"; use digits, moons, spiral or xor');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Turns any thrown value into the one line (or, with `debug`, the stack trace) the CLI prints.
 * @example formatError(new Error('bad'), false); // 'error: bad'
 */
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof Error) {
    if (debug && error.stack) return error.stack;
    const firstLine = error.message.split('\n')[0] ?? '';
    return `error: ${firstLine.replace(/^error:\s*/i, '')}`;
  }
  return `error: ${String(error)}`;
}
