/**
 * @file The command-line interface: commander definitions of `train` (the default), `explain`,
 * `bounds`, `taylor` and `predict`, with flag values checked by `cli-args` so every mistake gets a
 * one-line message that names the flag and how to fix it.
 */
import { Command } from 'commander';
import { parseChoice, parseInteger, parseIntegerList, parseNumber, parsePositive } from './cli-args';
import { runBounds } from './commands/bounds';
import { runExplain } from './commands/explain';
import { runModelBounds } from './commands/model-bounds';
import { runPredict } from './commands/predict';
import { runTaylor } from './commands/taylor';
import { runTrain } from './commands/train';
import { DATASETS } from './data/dataset';
import { UsageError } from './errors';
import type { Print } from './terminal/output';
import { OPTIMIZERS } from './training/optimizer';

type Flags = Record<string, string | boolean | undefined>;

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

const EXAMPLES = `
Examples:
  $ optimgrad-demo                                  train on the digits and write ./optimgrad-report
  $ optimgrad-demo train --dataset spiral --epochs 50
  $ optimgrad-demo train --limit 600 --epochs 1 --quiet
  $ optimgrad-demo explain "x*y + x^2" --x 2 --y 3
  $ optimgrad-demo bounds "x*y + sin(x)" --x -1,1 --y 0,2
  $ optimgrad-demo taylor "exp(x)" --at 0 --order 5
  $ optimgrad-demo predict --weights optimgrad-report/model.safetensors --count 8`;

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
    .option('--dataset <name>', `dataset: ${DATASETS.join(', ')}`, 'digits')
    .option('--hidden <sizes>', 'hidden layer sizes, comma-separated (digits default 256,64)')
    .option('--epochs <n>', 'number of epochs (digits default 8)')
    .option(
      '--lr <rate>',
      'peak learning rate, annealed by a cosine schedule (default 0.002 for digits, 0.01 for the others, 0.1 with sgd)',
    )
    .option('--optimizer <name>', `optimizer: ${OPTIMIZERS.join(', ')}`, 'adam')
    .option('--batch-size <n>', 'mini-batch size (digits default 64)')
    .option('--max-grad-norm <n>', 'clip the total gradient 2-norm to this', '1')
    .option('--augment <pixels>', 'digits: shift training images randomly by up to this many pixels', '2')
    .option('--seed <n>', 'random seed (initialisation, shuffling, synthetic data)', '0')
    .option('--limit <n>', 'use only the first N samples (80% train, 20% test)')
    .option('--out <dir>', 'report folder', './optimgrad-report')
    .option('-q, --quiet', 'print only the final "test accuracy: ..." line')
    .action(async (flags: Flags) => {
      await runTrain(
        {
          dataset: parseChoice('--dataset', text(flags, 'dataset') ?? 'digits', DATASETS),
          hidden: optional(text(flags, 'hidden'), (v) => parseIntegerList('--hidden', v)),
          epochs: optional(text(flags, 'epochs'), (v) => parseInteger('--epochs', v, 1)),
          lr: optional(text(flags, 'lr'), (v) => parsePositive('--lr', v)),
          optimizer: parseChoice('--optimizer', text(flags, 'optimizer') ?? 'adam', OPTIMIZERS),
          batchSize: optional(text(flags, 'batchSize'), (v) => parseInteger('--batch-size', v, 1)),
          maxGradNorm: parsePositive('--max-grad-norm', text(flags, 'maxGradNorm') ?? '1'),
          augment: parseInteger('--augment', text(flags, 'augment') ?? '2', 0),
          seed: parseInteger('--seed', text(flags, 'seed') ?? '0', 0),
          limit: optional(text(flags, 'limit'), (v) => parseInteger('--limit', v, 10)),
          out: text(flags, 'out') ?? './optimgrad-report',
          quiet: flags.quiet === true,
        },
        print,
      );
    });

  program
    .command('explain')
    .usage('"<expression>" --x 2 --y 3 [options]')
    .description('evaluate an expression, print its gradients, the chain rule step by step and the gradient paths')
    .argument('[expression]', 'e.g. "x*y + x^2" (+ - * / ^, sin cos tan exp log sqrt abs tanh sigmoid relu, pi, e)')
    .option('--out <dir>', 'folder for explain-graph.svg', './optimgrad-report')
    .addHelpText(
      'after',
      '\nEvery variable of the expression is given as a flag: --x 2 --y 3 --z 1 (a variable cannot be called out).',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_expression: string | undefined, flags: Flags, command: Command) => {
      await runExplain(command.args, { out: text(flags, 'out') ?? './optimgrad-report' }, print);
    });

  program
    .command('bounds')
    .usage('"<expression>" --x -1,1 --y 0,2 [options]')
    .description('sound interval bounds of an expression over a box, compared with sampling')
    .argument('[expression]', 'e.g. "x*y + sin(x)"')
    .option('--samples <n>', 'random samples to compare with', '1000')
    .option('--seed <n>', 'random seed for the samples', '0')
    .option('--weights <file>', 'instead of an expression: bounds of a trained digits model around a test digit')
    .option('--eps <e>', 'with --weights: how far each pixel may move', '0.01')
    .option('--index <i>', 'with --weights: which test digit', '0')
    .addHelpText(
      'after',
      '\nEvery variable of the expression is given a range: --x -1,1 (or a single value); variables cannot be\n' +
        'called like the options above (samples, seed, weights, eps, index).\n' +
        'Or bounds of a trained model: bounds --weights optimgrad-report/model.safetensors --eps 0.01 --index 0',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_expression: string | undefined, flags: Flags, command: Command) => {
      const weights = text(flags, 'weights');
      if (weights === undefined) {
        runBounds(
          command.args,
          {
            samples: parseInteger('--samples', text(flags, 'samples') ?? '1000', 0),
            seed: parseInteger('--seed', text(flags, 'seed') ?? '0', 0),
          },
          print,
        );
        return;
      }
      if (command.args.length > 0) {
        throw new UsageError(
          `bounds: give either an expression or --weights, not both (got ${command.args.join(' ')})`,
        );
      }
      runModelBounds(
        {
          weights,
          eps: parsePositive('--eps', text(flags, 'eps') ?? '0.01'),
          index: parseInteger('--index', text(flags, 'index') ?? '0', 0),
          samples: parseInteger('--samples', text(flags, 'samples') ?? '200', 2),
        },
        print,
      );
    });

  program
    .command('taylor')
    .usage('"<expression>" --at 0 --order 5 [options]')
    .description('Taylor coefficients of a one-variable expression from true higher-order derivatives, with a plot')
    .argument('<expression>', 'e.g. "exp(x)" or "sin(x)/(1+x^2)"')
    .option('--at <x0>', 'expansion point', '0')
    .option('--order <n>', 'highest derivative order', '5')
    .option('--radius <r>', 'half-width of the plotted interval around x0', '2')
    .option('--out <dir>', 'folder for taylor.svg', './optimgrad-report')
    .action((expression: string, flags: Flags) => {
      runTaylor(
        expression,
        {
          at: parseNumber('--at', text(flags, 'at') ?? '0'),
          order: parseInteger('--order', text(flags, 'order') ?? '5', 0),
          radius: parsePositive('--radius', text(flags, 'radius') ?? '2'),
          out: text(flags, 'out') ?? './optimgrad-report',
        },
        print,
      );
    });

  program
    .command('predict')
    .description('classify held-out digits with weights saved by train, drawn as ASCII art')
    .requiredOption('--weights <file>', 'a model.safetensors written by train')
    .option('--count <n>', 'how many test digits to show', '10')
    .option('--columns <n>', 'digits per row', '4')
    .action((flags: Flags) => {
      runPredict(
        {
          weights: text(flags, 'weights') as string,
          count: parseInteger('--count', text(flags, 'count') ?? '10', 1),
          columns: parseInteger('--columns', text(flags, 'columns') ?? '4', 1),
        },
        print,
      );
    });

  return program;
}
