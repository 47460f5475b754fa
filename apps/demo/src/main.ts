/**
 * @file Runs the program on an argument list and turns every failure into one line on stderr with
 * exit code 1 (the stack trace only with `--debug`); separate from `cli.ts` so tests can call it.
 */
import { CommanderError } from 'commander';
import { formatError } from './errors';
import { createProgram } from './program';
import { printLine } from './terminal/output';

/**
 * Runs the CLI on `argv` (node-style, with the executable and script first) and returns the exit code.
 * @example process.exitCode = await main(process.argv);
 */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await createProgram(printLine).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`${formatError(error, debug)}\n`);
    return 1;
  }
}
