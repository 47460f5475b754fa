/**
 * @file Where commands print (stdout lines) and how they format numbers and write report files, kept
 * in one place so every command looks the same and tests can capture output.
 */
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatNumber as formatCoreNumber } from '@optimgrad/core';
import { UsageError } from '../errors';

/** A sink for output lines. */
export type Print = (line: string) => void;

/**
 * Prints one line to stdout.
 * @example printLine('value: f = 10');
 */
export const printLine: Print = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Formats a number as every command prints it: core's `formatNumber` with up to `digits` significant
 * digits, no trailing zeros, and exponent notation outside [1e-4, 1e6) so table columns stay short.
 * @example formatNumber(7.0000001); // '7'
 */
export function formatNumber(value: number, digits = 6): string {
  return formatCoreNumber(value, { digits, plainRange: [1e-4, 1e6] });
}

/**
 * Creates the output folder now, so a bad `--out` fails before any work is done.
 * @example ensureOutputDir('./optimgrad-report');
 */
export function ensureOutputDir(dir: string): void {
  const folder = resolve(dir);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `--out: cannot use ${folder} as the output folder (${reason}); choose a writable folder with --out DIR`,
    );
  }
}

/**
 * Writes a file inside `dir` (created if needed) and returns its path.
 * @example writeReportFile('./out', 'graph.svg', svg); // '/abs/out/graph.svg'
 */
export function writeReportFile(dir: string, name: string, content: string | Uint8Array): string {
  const folder = resolve(dir);
  const path = join(folder, name);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, content);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--out: cannot write ${path} (${reason}); choose a writable folder with --out DIR`);
  }
  return path;
}
