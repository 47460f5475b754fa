/**
 * @file Adding a primitive op is guided by the compiler: a new unary op (`atan`, tried here on an in-memory
 * copy of the sources) does not compile until its kernel kind, its cpu kernel, its interval rule and its test
 * spec exist, and compiles once they do. This is CONTRIBUTING's "Add an op" checklist, checked.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const path = (relative: string) => resolve(root, relative);

const UNARY_OPS = path('packages/core/src/ops/unary.ts');
const OP_TABLE = path('packages/core/src/ops/index.ts');
const KERNEL_KINDS = path('packages/core/src/backend/backend.ts');
const CPU_KERNEL = path('packages/core/src/backend/cpu/unary.ts');
const INTERVAL_RULES = path('packages/inspect/src/bounds/interval-rules.ts');
const OP_SPECS = path('packages/core/test/op-specs.ts');

/** Every file that adding an op touches, in CONTRIBUTING's order. */
const CHECKLIST = [UNARY_OPS, OP_TABLE, KERNEL_KINDS, CPU_KERNEL, OP_SPECS, INTERVAL_RULES];

type Edit = readonly [file: string, anchor: RegExp, insert: string];

/** The op itself and its row in the table: what a contributor writes first. */
const defineAtan: readonly Edit[] = [
  [
    UNARY_OPS,
    /$/,
    "\nexport const atan = unaryOp('atan', 'd(atan(x))/dx = 1/(1 + x^2)', '\\\\frac{1}{1 + x^2}', [0], (g, x) => g.div(x.square().add(1)));\n",
  ],
  [OP_TABLE, /^ {2}neg: unary\.neg,\n/m, '  atan: unary.atan,\n'],
];
const kernelKind: Edit = [KERNEL_KINDS, /^ {2}\| 'neg'\n/m, "  | 'atan'\n"];
const cpuKernel: Edit = [
  CPU_KERNEL,
  /^ {2}switch \(kind\) \{\n/m,
  "    case 'atan':\n      for (let i = 0; i < n; i++) out[i] = Math.atan(x[i] as number);\n      return;\n",
];
const intervalRule: Edit = [INTERVAL_RULES, /^export const intervalRules[^\n]*\n/m, "  atan: increasing('atan', 4),\n"];
const testSpec: Edit = [OP_SPECS, /^export const specs[^\n]*\n/m, "  atan: unary('atan', {}, Math.atan),\n"];

function applyEdits(edits: readonly Edit[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, anchor, insert] of edits) {
    const text = files.get(file) ?? ts.sys.readFile(file);
    const match = text?.match(anchor);
    if (text === undefined || !match || match.index === undefined) {
      throw new Error(`new-op checklist: cannot find ${anchor} in ${file}; update this test's anchors`);
    }
    const at = match.index + match[0].length;
    files.set(file, text.slice(0, at) + insert + text.slice(at));
  }
  return files;
}

const unchanged = new Map<string, ts.SourceFile>();

/** The files that fail to type-check (relative to the repository) when `edits` are applied to the sources. */
function filesWithErrors(edits: readonly Edit[]): string[] {
  const overrides = applyEdits(edits);
  const config = ts.getParsedCommandLineOfConfigFile(
    path('packages/inspect/tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('new-op checklist: cannot read inspect/tsconfig.json');
  // Node's type declarations are not needed by the files checked here, and parsing them is most of the time.
  const options = { ...config.options, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => overrides.get(resolve(file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => {
    const text = overrides.get(resolve(file));
    if (text !== undefined) return ts.createSourceFile(file, text, language);
    // Unchanged files are parsed once for every check (the standard library above all).
    let parsed = unchanged.get(file);
    if (parsed === undefined) {
      parsed = getSourceFile(file, language, onError);
      if (parsed !== undefined) unchanged.set(file, parsed);
    }
    return parsed;
  };
  const program = ts.createProgram([INTERVAL_RULES, OP_SPECS, CPU_KERNEL], options, host);
  // Only the files a new op touches are checked (their imports are typed as needed), which keeps this fast.
  const failing = new Set<string>();
  if (program.getOptionsDiagnostics().length > 0 || program.getGlobalDiagnostics().length > 0) failing.add('(global)');
  for (const file of CHECKLIST) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`new-op checklist: ${file} is not part of the program`);
    const errors = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    if (errors.length > 0) failing.add(file.slice(root.length + 1));
  }
  return [...failing].sort();
}

// Each check type-checks core and inspect; on a loaded machine that can take a while.
describe('adding a primitive op', { timeout: 300_000 }, () => {
  it('the unchanged sources type-check', () => {
    expect(filesWithErrors([])).toEqual([]);
  });

  it('an op without a kernel kind, an interval rule or a test spec does not compile', () => {
    expect(filesWithErrors(defineAtan)).toEqual([
      'packages/core/src/ops/index.ts',
      'packages/core/src/ops/unary.ts',
      'packages/core/test/op-specs.ts',
      'packages/inspect/src/bounds/interval-rules.ts',
    ]);
  });

  it('a kernel kind without a cpu kernel does not compile', () => {
    expect(filesWithErrors([...defineAtan, kernelKind, intervalRule, testSpec])).toEqual([
      'packages/core/src/backend/cpu/unary.ts',
    ]);
  });

  it('compiles once the kernel, the interval rule and the test spec exist', () => {
    expect(filesWithErrors([...defineAtan, kernelKind, cpuKernel, intervalRule, testSpec])).toEqual([]);
  });
});
