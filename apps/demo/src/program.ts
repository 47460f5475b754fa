/**
 * @file The command-line interface: commander definitions of `train` (the default), `explain`,
 * `bounds`, `taylor`, `predict` and `export`, with flag values checked by `cli-args` so every mistake gets a
 * one-line message that names the flag and how to fix it.
 */
import { Command, Option } from 'commander';
import { parseChoice, parseInteger, parseIntegerList, parseNumber, parsePositive } from './cli-args';
import { BOUNDS_SAMPLES, runBounds } from './commands/bounds';
import { runExplain } from './commands/explain';
import { runExport } from './commands/export-onnx';
import { MODEL_BOUNDS_SAMPLES, runModelBounds } from './commands/model-bounds';
import { runPredict } from './commands/predict';
import { runTaylor } from './commands/taylor';
import { runTrain, TRAIN_DEFAULTS } from './commands/train';
import { DATASETS, type DatasetName } from './data/dataset';
import { UsageError } from './errors';
import type { Print } from './terminal/output';
import { OPTIMIZERS, type OptimizerName } from './training/optimizer';

/** Where every command writes its files unless `--out` says otherwise. */
const DEFAULT_OUT = './optimgrad-report';

/** `train`'s flags after parsing; the optional ones default per dataset in `runTrain`. */
interface TrainFlags {
  readonly dataset: DatasetName;
  readonly hidden?: number[];
  readonly epochs?: number;
  readonly lr?: number;
  readonly optimizer: OptimizerName;
  readonly batchSize?: number;
  readonly maxGradNorm: number;
  readonly augment: number;
  readonly seed: number;
  readonly limit?: number;
  readonly out: string;
  readonly quiet?: boolean;
}

/** `bounds`'s flags after parsing; `samples` defaults differently for an expression and for `--weights`. */
interface BoundsFlags {
  readonly samples?: number;
  readonly seed: number;
  readonly weights?: string;
  readonly eps: number;
  readonly index: number;
}

interface TaylorFlags {
  readonly at: number;
  readonly order: number;
  readonly radius: number;
  readonly out: string;
}

interface ExportFlags {
  readonly weights: string;
  readonly onnx: string;
}

interface PredictFlags {
  readonly weights: string;
  readonly count: number;
  readonly columns: number;
}

/**
 * Upper limits of the training flags: far above anything the demo needs, low enough that a typo (an extra
 * zero or three) fails at once with one line instead of running for hours or exhausting memory.
 */
export const TRAIN_LIMITS = { epochs: 1000, batchSize: 10_000, limit: 1_000_000, hidden: 4096, layers: 8 } as const;

/** An integer flag from `min` to `max`, checked by `parseInteger` so errors name the flag. */
function integerOption(flags: string, description: string, min: number, max = Number.POSITIVE_INFINITY): Option {
  const flag = flags.split(' ')[0] as string;
  return new Option(flags, description).argParser((value) => parseInteger(flag, value, min, max));
}

/** A positive number flag, checked by `parsePositive`. */
function positiveOption(flags: string, description: string): Option {
  const flag = flags.split(' ')[0] as string;
  return new Option(flags, description).argParser((value) => parsePositive(flag, value));
}

/** A flag with a fixed set of values: commander lists them in the help, `parseChoice` checks them. */
function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[]): Option {
  const flag = flags.split(' ')[0] as string;
  return new Option(flags, description).choices(choices).argParser((value) => parseChoice(flag, value, choices));
}

/** Per-dataset defaults as help text, read from `TRAIN_DEFAULTS` so the numbers are written once. */
function perDataset(pick: (defaults: (typeof TRAIN_DEFAULTS)['digits' | 'synthetic']) => unknown): string {
  const text = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  return `default ${text(pick(TRAIN_DEFAULTS.digits))} for digits, ${text(pick(TRAIN_DEFAULTS.synthetic))} for the others`;
}

const EXAMPLES = `
Examples:
  $ optimgrad-demo                                  train on the digits and write ./optimgrad-report
  $ optimgrad-demo train --dataset spiral --epochs 50
  $ optimgrad-demo train --limit 600 --epochs 1 --quiet
  $ optimgrad-demo explain "x*y + x^2" --x 2 --y 3
  $ optimgrad-demo bounds "x*y + sin(x)" --x -1,1 --y 0,2
  $ optimgrad-demo taylor "exp(x)" --at 0 --order 5
  $ optimgrad-demo predict --weights optimgrad-report/model.safetensors --count 8
  $ optimgrad-demo export --weights optimgrad-report/model.safetensors --onnx model.onnx

In a clone of the repository, after pnpm install and pnpm build, run it as pnpm exec optimgrad-demo ...
(the repository root depends on the demo, so its bin is linked there), or build and run with pnpm demo ...`;

/**
 * Builds the commander program; output goes to `print`.
 * @example await createProgram(console.log).parseAsync(['node', 'cli', 'explain', 'x^2', '--x', '3']);
 */
export function createProgram(print: Print): Command {
  const program = new Command('optimgrad-demo')
    .description('optimgrad demo: train on real handwritten digits and explain the mathematics, in the terminal')
    .version('0.1.0')
    .option('--debug', 'show stack traces for errors')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => write(`${message.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });

  program
    .command('train', { isDefault: true })
    .description('train an MLP classifier and write a report (the default command)')
    .addOption(choiceOption('--dataset <name>', 'dataset', DATASETS).default('digits'))
    .addOption(
      new Option('--hidden <sizes>', `hidden layer sizes, comma-separated (${perDataset((d) => d.hidden)})`).argParser(
        (value) => parseIntegerList('--hidden', value, TRAIN_LIMITS.hidden, TRAIN_LIMITS.layers),
      ),
    )
    .addOption(
      integerOption('--epochs <n>', `number of epochs (${perDataset((d) => d.epochs)})`, 1, TRAIN_LIMITS.epochs),
    )
    .addOption(
      positiveOption(
        '--lr <rate>',
        `peak learning rate, annealed by a cosine schedule (${perDataset((d) => d.lr)}, ${TRAIN_DEFAULTS.sgdLr} with sgd)`,
      ),
    )
    .addOption(choiceOption('--optimizer <name>', 'optimizer', OPTIMIZERS).default('adam'))
    .addOption(
      integerOption(
        '--batch-size <n>',
        `mini-batch size (${perDataset((d) => d.batchSize)})`,
        1,
        TRAIN_LIMITS.batchSize,
      ),
    )
    .addOption(positiveOption('--max-grad-norm <n>', 'clip the total gradient 2-norm to this').default(1))
    .addOption(
      integerOption(
        '--augment <pixels>',
        'digits: shift training images randomly by up to this many pixels',
        0,
      ).default(TRAIN_DEFAULTS.augment),
    )
    .addOption(integerOption('--seed <n>', 'random seed (initialisation, shuffling, synthetic data)', 0).default(0))
    .addOption(
      integerOption('--limit <n>', 'use only the first N samples (80% train, 20% test)', 10, TRAIN_LIMITS.limit),
    )
    .addOption(new Option('--out <dir>', 'report folder').default(DEFAULT_OUT))
    .option('-q, --quiet', 'print only the final "test accuracy: ..." line')
    .action(async (flags: TrainFlags) => {
      await runTrain({ ...flags, quiet: flags.quiet === true }, print);
    });

  program
    .command('explain')
    .usage('"<expression>" --x 2 --y 3 [options]')
    .description('evaluate an expression, print its gradients, the chain rule step by step and the gradient paths')
    .argument('[expression]', 'e.g. "x*y + x^2" (+ - * / ^, sin cos tan exp log sqrt abs tanh sigmoid relu, pi, e)')
    .addOption(new Option('--out <dir>', 'folder for explain-graph.svg').default(DEFAULT_OUT))
    .addHelpText(
      'after',
      '\nEvery variable of the expression is given as a flag: --x 2 --y 3 --z 1 (a variable cannot be called out).',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_expression: string | undefined, flags: { readonly out: string }, command: Command) => {
      await runExplain(command.args, { out: flags.out }, print);
    });

  program
    .command('bounds')
    .usage('"<expression>" --x -1,1 --y 0,2 [options]')
    .description('sound interval bounds of an expression over a box, compared with sampling')
    .argument('[expression]', 'e.g. "x*y + sin(x)"')
    .addOption(
      integerOption(
        '--samples <n>',
        `random samples to compare with (default ${BOUNDS_SAMPLES}, ${MODEL_BOUNDS_SAMPLES} with --weights)`,
        0,
      ),
    )
    .addOption(integerOption('--seed <n>', 'random seed for the samples', 0).default(0))
    .option('--weights <file>', 'instead of an expression: bounds of a trained digits model around a test digit')
    .addOption(positiveOption('--eps <e>', 'with --weights: how far each pixel may move').default(0.01))
    .addOption(integerOption('--index <i>', 'with --weights: which test digit', 0).default(0))
    .addHelpText(
      'after',
      '\nEvery variable of the expression is given a range: --x -1,1 (or a single value); variables cannot be\n' +
        'called like the options above (samples, seed, weights, eps, index).\n' +
        'Or bounds of a trained model: bounds --weights optimgrad-report/model.safetensors --eps 0.01 --index 0',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_expression: string | undefined, flags: BoundsFlags, command: Command) => {
      const { weights } = flags;
      if (weights === undefined) {
        runBounds(command.args, { samples: flags.samples ?? BOUNDS_SAMPLES, seed: flags.seed }, print);
        return;
      }
      if (command.args.length > 0) {
        throw new UsageError(
          `bounds: give either an expression or --weights, not both (got ${command.args.join(' ')})`,
        );
      }
      // The model form needs at least 2 samples; the flag's own parser allows 0 for the expression form.
      const samples =
        flags.samples === undefined ? MODEL_BOUNDS_SAMPLES : parseInteger('--samples', String(flags.samples), 2);
      runModelBounds({ weights, eps: flags.eps, index: flags.index, samples }, print);
    });

  program
    .command('taylor')
    .usage('"<expression>" --at 0 --order 5 [options]')
    .description('Taylor coefficients of a one-variable expression from true higher-order derivatives, with a plot')
    .argument('<expression>', 'e.g. "exp(x)" or "sin(x)/(1+x^2)"')
    .addOption(new Option('--at <x0>', 'expansion point').argParser((value) => parseNumber('--at', value)).default(0))
    .addOption(integerOption('--order <n>', 'highest derivative order', 0).default(5))
    .addOption(positiveOption('--radius <r>', 'half-width of the plotted interval around x0').default(2))
    .addOption(new Option('--out <dir>', 'folder for taylor.svg').default(DEFAULT_OUT))
    .action((expression: string, flags: TaylorFlags) => {
      runTaylor(expression, flags, print);
    });

  program
    .command('predict')
    .description('classify held-out digits with weights saved by train, drawn as ASCII art')
    .requiredOption('--weights <file>', 'a model.safetensors written by train')
    .addOption(integerOption('--count <n>', 'how many test digits to show', 1).default(10))
    .addOption(integerOption('--columns <n>', 'digits per row', 1).default(4))
    .action((flags: PredictFlags) => {
      runPredict(flags, print);
    });

  program
    .command('export')
    .description('write weights saved by train as an ONNX model (dynamic batch axis) for ONNX Runtime')
    .requiredOption('--weights <file>', 'a model.safetensors written by train')
    .requiredOption('--onnx <file>', 'the .onnx file to write')
    .action((flags: ExportFlags) => {
      runExport(flags, print);
    });

  return program;
}
