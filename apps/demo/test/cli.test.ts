import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor } from '@optimgrad/core';
import { saveSafetensors } from '@optimgrad/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli';

let scratch = '';
let reportDir = '';
let trainRun: ReturnType<typeof runCli>;

const SUMMARY = /^test accuracy: (\d\.\d{4}) \((\d+) train \/ (\d+) test, (\d+) epochs?, (\d+\.\d) s\)$/;

function expectOneLineError(run: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'optimgrad-demo-'));
  reportDir = join(scratch, 'report');
  trainRun = runCli(['train', '--limit', '600', '--epochs', '1', '--quiet', '--out', reportDir]);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('train', () => {
  it('prints only the parseable summary line with --quiet', () => {
    expect(trainRun.stderr).toBe('');
    expect(trainRun.status).toBe(0);
    const lines = trainRun.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const match = SUMMARY.exec(lines[0] as string);
    expect(match).not.toBeNull();
    const [, accuracy, train, test, epochs] = match as RegExpExecArray;
    expect([train, test, epochs]).toEqual(['480', '120', '1']);
    expect(Number(accuracy)).toBeGreaterThan(0.2);
  });

  it('writes the whole report folder', () => {
    for (const name of [
      'report.md',
      'index.html',
      'loss.svg',
      'accuracy.svg',
      'graph.svg',
      'gradient-flow.svg',
      'chain-rule.md',
      'bounds.md',
      'model.safetensors',
    ]) {
      expect(existsSync(join(reportDir, name)), name).toBe(true);
    }
    expect(readFileSync(join(reportDir, 'graph.svg'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(reportDir, 'graph.svg'), 'utf8')).toContain('matmul');
    const report = readFileSync(join(reportDir, 'report.md'), 'utf8');
    expect(report).toContain(trainRun.stdout.trim());
    expect(report).toContain('![gradient flow](gradient-flow.svg)');
    const chainRule = readFileSync(join(reportDir, 'chain-rule.md'), 'utf8');
    expect(chainRule).toContain('x·y + x²');
    const bounds = readFileSync(join(reportDir, 'bounds.md'), 'utf8');
    expect(bounds).toMatch(/\| 0\.005 \|/);
    expect(bounds).not.toContain('| NO');
  });

  it('is deterministic for a given seed and prints progress lines when stdout is not a terminal', () => {
    const train = (seed: string, out: string) =>
      runCli([
        'train',
        '--dataset',
        'moons',
        '--limit',
        '200',
        '--epochs',
        '3',
        '--seed',
        seed,
        '--out',
        join(scratch, out),
      ]);
    // Epoch summaries hold losses, accuracies and learning rates, but no timings.
    const epochLines = (text: string) => text.split('\n').filter((line) => /^epoch \d+\/3: /.test(line));
    const first = train('5', 'moons-a');
    const second = train('5', 'moons-b');
    const other = train('6', 'moons-c');
    for (const run of [first, second, other]) expect(run.status).toBe(0);
    expect(epochLines(first.stdout)).toHaveLength(3);
    expect(epochLines(second.stdout)).toEqual(epochLines(first.stdout));
    expect(epochLines(other.stdout)).not.toEqual(epochLines(first.stdout));
    expect(first.stdout).toMatch(/^epoch 3\/3 batch 5\/5 loss \d\.\d{4} \d+ samples\/s ETA \d+s$/m);
  });
});

describe('predict', () => {
  it('classifies test digits with the weights written by train', () => {
    const run = runCli(['predict', '--weights', join(reportDir, 'model.safetensors'), '--count', '4']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/model 784 → 256 → 64 → 10/);
    expect(run.stdout.match(/#\d: \d [✓✗]/g)).toHaveLength(4);
    expect(run.stdout).toMatch(/@@/);
    expect(run.stdout).toMatch(/^test accuracy: 0\.\d{4} \(2000 held-out digits\)$/m);
  });

  it('bounds the trained model around a test digit, and the samples stay inside', () => {
    const run = runCli([
      'bounds',
      '--weights',
      join(reportDir, 'model.safetensors'),
      '--eps',
      '0.001',
      '--samples',
      '50',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('every sample inside the interval and CROWN bounds: yes (50 samples)');
    expect(run.stdout).toMatch(/^ {2}\d\* /m);
  });

  it('compares with 200 samples by default with --weights, as its help says', () => {
    const run = runCli(['bounds', '--weights', join(reportDir, 'model.safetensors'), '--eps', '0.001']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('every sample inside the interval and CROWN bounds: yes (200 samples)');
    const help = runCli(['bounds', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(default 1000, 200 with --weights)');
  });

  it('fails with one line when the weights file is missing', () => {
    expectOneLineError(
      runCli(['predict', '--weights', join(scratch, 'nope.safetensors')]),
      /^error: --weights: file not found: .*nope\.safetensors/,
    );
  });

  it('fails with one line when the weights have the wrong shapes', () => {
    const path = join(scratch, 'bad.safetensors');
    writeFileSync(path, saveSafetensors({ '0.weight': tensor([[1, 2, 3]]), '0.bias': tensor([1, 2]) }));
    expectOneLineError(runCli(['predict', '--weights', path]), /0\.bias has shape \[2\]; expected \[1\]/);
  });

  it('fails with one line when the weights file is not safetensors', () => {
    const path = join(scratch, 'garbage.safetensors');
    writeFileSync(path, 'not a safetensors file');
    expectOneLineError(runCli(['predict', '--weights', path]), /^error: --weights: cannot read .* as safetensors/);
  });
});

describe('explain', () => {
  it('reproduces the Quick Start: value 10, gradients 7 and 2, with the walkthrough and paths', () => {
    const out = join(scratch, 'explain');
    const run = runCli(['explain', 'x*y + x^2', '--x', '2', '--y', '3', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('value: f = 10');
    expect(run.stdout).toMatch(/df\/dx = 7\n/);
    expect(run.stdout).toMatch(/df\/dy = 2\n/);
    expect(run.stdout).toContain('chain rule, step by step');
    expect(run.stdout).toContain('gradient paths');
    expect(readFileSync(join(out, 'explain-graph.svg'), 'utf8')).toContain('<svg');
  });

  it('accepts any variable name as a flag', () => {
    const run = runCli(['explain', 'sin(z) * w', '--z', '0', '--w', '3', '--out', join(scratch, 'explain2')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/df\/dw = 0\n/);
    expect(run.stdout).toMatch(/df\/dz = 3\n/);
  });

  it('fails with one line on a malformed expression', () => {
    expectOneLineError(runCli(['explain', 'x*(', '--x', '1']), /^error: cannot parse expression "x\*\("/);
  });

  it('fails with one line when a variable has no value', () => {
    expectOneLineError(runCli(['explain', 'x*y', '--x', '1']), /^error: explain: no value for y; pass --y <value>$/);
  });
});

describe('taylor', () => {
  it('prints the coefficients 1/k! of exp(x) and writes the plot', () => {
    const out = join(scratch, 'taylor');
    const run = runCli(['taylor', 'exp(x)', '--order', '4', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const coefficients = [...run.stdout.matchAll(/^\s+(\d)\s+(\S+)$/gm)].map((m) => Number(m[2]));
    expect(coefficients).toHaveLength(5);
    [1, 1, 1 / 2, 1 / 6, 1 / 24].forEach((expected, k) => {
      expect(coefficients[k]).toBeCloseTo(expected, 8);
    });
    const svg = readFileSync(join(out, 'taylor.svg'), 'utf8');
    for (const legend of ['f(x)', 'degree 1', 'degree 4']) expect(svg).toContain(`>${legend}</text>`);
  });
});

describe('bounds', () => {
  it('gives sound interval bounds that contain every sample', () => {
    const run = runCli(['bounds', 'x*y + sin(x)', '--x', '-1,1', '--y', '0,2']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('every sample inside the interval bounds: yes');
    const interval = /interval bounds \(sound\):\s+\[(\S+), (\S+)\]/.exec(run.stdout);
    expect(interval).not.toBeNull();
    expect(Number(interval?.[1])).toBeLessThanOrEqual(-2 - Math.sin(1) + 1e-9);
    expect(Number(interval?.[2])).toBeGreaterThanOrEqual(2 + Math.sin(1) - 1e-9);
  });

  it('compares with 1000 samples by default, plus the centre and the 4 corners of the box', () => {
    const run = runCli(['bounds', 'x*y', '--x', '-1,1', '--y', '0,2']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^sampled range \(1005 points\):/m);
  });
});

describe('command line errors', () => {
  it('rejects an unknown flag with one line and exit code 1', () => {
    expectOneLineError(runCli(['train', '--learning-rate', '1']), /unknown option '--learning-rate'/);
  });

  it('rejects training flags above their upper limits with one line', () => {
    expectOneLineError(
      runCli(['--epochs', '1000000']),
      /^error: --epochs: "1000000" must be an integer from 1 to 1000$/,
    );
    expectOneLineError(
      runCli(['train', '--batch-size', '99999999']),
      /^error: --batch-size: "99999999" must be an integer from 1 to 10000$/,
    );
    expectOneLineError(runCli(['--limit', '1e12']), /^error: --limit: "1e12" must be an integer from 10 to 1000000$/);
    expectOneLineError(
      runCli(['--hidden', '128,100000']),
      /^error: --hidden: "100000" must be an integer from 1 to 4096$/,
    );
    expectOneLineError(
      runCli(['--hidden', '8,8,8,8,8,8,8,8,8']),
      /^error: --hidden: "8(,8){8}" has 9 sizes; give at most 8$/,
    );
  });

  it('reports a misspelt flag followed by a value as unknown, not the value', () => {
    expectOneLineError(runCli(['--epoch', '3']), /^error: unknown option '--epoch' \(Did you mean --epochs\?\)$/);
    expectOneLineError(runCli(['train', '--limit', '100', '--epoch', '3']), /^error: unknown option '--epoch'/);
  });

  it('says when a function in an expression gets the wrong number of arguments', () => {
    expectOneLineError(
      runCli(['explain', 'sin(x, y)', '--x', '1', '--y', '2']),
      /^error: expression "sin\(x, y\)": sin\(\) takes 1 argument but got 2$/,
    );
  });

  it('prints a program name that runs from the repository root', () => {
    const help = runCli(['--help']);
    const usage = /^Usage: (\S+)/.exec(help.stdout)?.[1] ?? '';
    expect(usage).toBe('optimgrad-demo');
    expect(help.stdout).toContain('pnpm exec optimgrad-demo');
    const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
    const run = spawnSync('pnpm', ['exec', usage, '--version'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim(), run.stderr).toBe('0.1.0');
  });

  it('rejects an unknown dataset with one line and exit code 1', () => {
    expectOneLineError(
      runCli(['train', '--dataset', 'mnist']),
      /^error: --dataset: unknown value "mnist"; use one of digits, moons, spiral, xor$/,
    );
  });

  it('rejects a bad number with one line and exit code 1', () => {
    expectOneLineError(runCli(['train', '--epochs', 'many']), /^error: --epochs: "many" is not a number/);
  });

  it('rejects a report folder that cannot be written with one line and exit code 1', () => {
    const blocker = join(scratch, 'a-file');
    writeFileSync(blocker, 'not a folder');
    expectOneLineError(
      runCli(['taylor', 'x^2', '--out', join(blocker, 'report')]),
      /^error: --out: cannot use .*a-file\/report as the output folder .*choose a writable folder/,
    );
  });

  it('shows the stack trace only with --debug', () => {
    const run = runCli(['explain', 'x*(', '--x', '1', '--debug']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('prints help listing every command', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['train', 'explain', 'bounds', 'taylor', 'predict', 'export'])
      expect(run.stdout).toContain(command);
  });
});
