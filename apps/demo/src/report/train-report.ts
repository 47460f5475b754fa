/**
 * @file The report folder of a training run: loss and accuracy curves, the graph of one forward pass,
 * gradient flow per parameter, the chain-rule walkthrough, bounds around a test digit, the weights as
 * safetensors, and `report.md` / `index.html` tying them together.
 */
import { noGrad } from '@optimgrad/core';
import {
  ActivationStats,
  type ActivationSummary,
  detectGradientPathologies,
  escapeXml,
  lineChart,
  toSvg,
} from '@optimgrad/inspect';
import { crossEntropyLoss } from '@optimgrad/nn';
import type { Dataset } from '../data/dataset';
import { formatNumber, writeReportFile } from '../terminal/output';
import type { TrainResult, TrainSettings } from '../training/train-classifier';
import { saveModel } from '../training/weights';
import { type ModelBounds, modelBounds } from './model-bounds';
import { chainRuleMarkdown } from './walkthrough-examples';

/** Everything the report is written from. */
export interface TrainReportInput {
  readonly data: Dataset;
  readonly settings: TrainSettings;
  readonly result: TrainResult;
  readonly seed: number;
  readonly summary: string;
}

/** Paths of the files written. */
export interface TrainReportFiles {
  readonly dir: string;
  readonly files: Record<string, string>;
}

function curves(result: TrainResult): { loss: string; accuracy: string } {
  const perEpoch = result.batchLosses.length / Math.max(1, result.epochs.length);
  const epochs = result.epochs.map((e) => e.epoch);
  const loss = lineChart(
    [
      {
        name: 'batch loss',
        faint: true,
        values: result.batchLosses,
        xs: result.batchLosses.map((_, i) => (i + 1) / perEpoch),
      },
      { name: 'epoch mean (train)', values: result.epochs.map((e) => e.trainLoss), xs: epochs },
    ],
    { title: 'Training loss', xLabel: 'epoch', yLabel: 'cross-entropy loss (log scale)', logY: true },
  );
  const accuracy = lineChart(
    [
      { name: 'train', values: result.epochs.map((e) => e.trainAccuracy), xs: epochs },
      { name: 'test', values: result.epochs.map((e) => e.testAccuracy), xs: epochs },
    ],
    { title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', yPadding: 0.05 },
  );
  return { loss, accuracy };
}

function boundsMarkdown(bounds: ModelBounds): string {
  const lines = [
    '# Bounds of the trained network around a test sample',
    '',
    `Test sample #0 (label ${bounds.label}) is predicted as **${bounds.predicted}**. Every input may change by ±eps`,
    '(pixels stay in [0, 1]). Interval bound propagation through the graph gives bounds that hold for *every* input',
    'in that box; sampling shows what a few random inputs reach, which must lie inside.',
    '',
    'CROWN (linear relaxation, back-substituted through the ReLUs) keeps the correlations between neurons that',
    'interval arithmetic forgets, so it proves robustness for larger boxes.',
    '',
    '| eps | interval: class lower bound | interval: best other upper bound | interval certifies | CROWN: class lower bound | CROWN: best other upper bound | CROWN certifies | samples inside bounds |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const bestOther = (values: readonly number[]) => Math.max(...values.filter((_, c) => c !== bounds.predicted));
  for (const box of bounds.boxes) {
    const crown = box.crown;
    const crownCells = crown
      ? [
          formatNumber(crown.lower[bounds.predicted] as number),
          formatNumber(bestOther(crown.upper)),
          crown.certified ? 'yes' : 'no',
        ]
      : ['-', '-', '-'];
    lines.push(
      `| ${box.eps} | ${formatNumber(box.lower[bounds.predicted] as number)} | ${formatNumber(bestOther(box.upper))} | ${box.certified ? 'yes' : 'no'} | ${crownCells.join(' | ')} | ${box.sound ? 'yes' : 'NO'} (${box.samples}) |`,
    );
  }
  const first = bounds.boxes[0];
  if (first) {
    lines.push(
      '',
      `Per-class logits for eps = ${first.eps}:`,
      '',
      '| class | logit at the sample | interval lower | CROWN lower | sampled min | sampled max | CROWN upper | interval upper |',
      '|---|---|---|---|---|---|---|---|',
    );
    bounds.logits.forEach((logit, c) => {
      const crownLower = first.crown ? formatNumber(first.crown.lower[c] as number) : '-';
      const crownUpper = first.crown ? formatNumber(first.crown.upper[c] as number) : '-';
      lines.push(
        `| ${c} | ${formatNumber(logit)} | ${formatNumber(first.lower[c] as number)} | ${crownLower} | ${formatNumber(first.sampledLower[c] as number)} | ${formatNumber(first.sampledUpper[c] as number)} | ${crownUpper} | ${formatNumber(first.upper[c] as number)} |`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Statistics of every layer's output over the test split, recorded by inspect's forward hooks. */
function activationStatistics(input: TrainReportInput): Record<string, ActivationSummary> {
  const { model } = input.result;
  model.eval();
  const stats = new ActivationStats(model);
  try {
    noGrad(() => model.forward(input.data.test.x));
  } finally {
    stats.remove();
  }
  return stats.latest;
}

function activationTable(input: TrainReportInput, activations: Record<string, ActivationSummary>): string[] {
  const kinds = new Map(input.result.model.namedChildren().map(([name, module]) => [name, module.constructor.name]));
  return [
    '| layer | module | mean | std | min | max | zero fraction | dead units |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(activations).map(
      ([name, a]) =>
        `| ${name} | ${kinds.get(name) ?? '?'} | ${formatNumber(a.mean, 4)} | ${formatNumber(a.std, 4)} | ${formatNumber(a.min, 4)} | ${formatNumber(a.max, 4)} | ${a.zeroFraction.toFixed(3)} | ${(a.deadFraction * 100).toFixed(1)}% |`,
    ),
  ];
}

function reportMarkdown(
  input: TrainReportInput,
  bounds: ModelBounds,
  warnings: Record<string, string[]>,
  activations: Record<string, ActivationSummary>,
): string {
  const { data, settings, result } = input;
  const warningLines = Object.entries(warnings).flatMap(([name, list]) => list.map((w) => `- \`${name}\`: ${w}`));
  return [
    '# optimgrad training report',
    '',
    `**${input.summary}**`,
    '',
    '| setting | value |',
    '|---|---|',
    `| dataset | ${data.name} (${data.train.x.shape[0]} train / ${data.test.x.shape[0]} test) |`,
    `| model | MLP ${result.sizes.join(' → ')} (ReLU) |`,
    `| optimizer | ${settings.optimizer}, lr ${settings.lr}, cosine schedule to ${settings.lr * 0.01} |`,
    `| batch size | ${settings.batchSize} |`,
    `| augmentation | ${settings.augmentShift > 0 ? `random shifts up to ${settings.augmentShift} px` : 'none'} |`,
    `| epochs | ${settings.epochs} |`,
    `| gradient clipping | total 2-norm ≤ ${settings.maxGradNorm} (${result.clippedBatches} of ${result.gradNorms.length} batches clipped) |`,
    `| seed | ${input.seed} |`,
    '',
    '## Per epoch',
    '',
    '| epoch | train loss | train accuracy | test accuracy | learning rate |',
    '|---|---|---|---|---|',
    ...result.epochs.map(
      (e) =>
        `| ${e.epoch} | ${e.trainLoss.toFixed(4)} | ${e.trainAccuracy.toFixed(4)} | ${e.testAccuracy.toFixed(4)} | ${e.lr.toExponential(2)} |`,
    ),
    '',
    '## Curves',
    '',
    '![loss](loss.svg)',
    '',
    '![accuracy](accuracy.svg)',
    '',
    '## Gradient flow',
    '',
    '![gradient flow](gradient-flow.svg)',
    '',
    warningLines.length === 0 ? 'No vanishing or exploding gradients detected.' : 'Warnings:',
    ...warningLines,
    '',
    '## Activations on the test split',
    '',
    'Recorded with forward hooks: a dead unit is a ReLU output that is 0 for every test sample.',
    '',
    ...activationTable(input, activations),
    '',
    '## The computational graph of one forward pass (2 test samples, with the loss)',
    '',
    '![graph](graph.svg)',
    '',
    '## More',
    '',
    '- [The chain rule, step by step](chain-rule.md)',
    `- [Bounds around a test sample](bounds.md): ${bounds.boxes.map((b) => `eps ${b.eps}: interval ${b.certified ? 'certified' : 'not certified'}${b.crown ? `, CROWN ${b.crown.certified ? 'certified' : 'not certified'}` : ''}`).join('; ')}`,
    '- Weights: [model.safetensors](model.safetensors) (load with `optimgrad-demo predict --weights model.safetensors`, or in PyTorch with `safetensors`)',
    '',
  ].join('\n');
}

function markdownToHtml(markdown: string): string {
  const html: string[] = [];
  let inTable = false;
  let inList = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (/^\|[-| ]+\|$/.test(line)) continue;
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => escapeXml(cell.trim()));
      if (!inTable) {
        html.push('<table>', `<tr>${cells.map((c) => `<th>${c}</th>`).join('')}</tr>`);
        inTable = true;
      } else html.push(`<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`);
      continue;
    }
    if (inTable) {
      html.push('</table>');
      inTable = false;
    }
    if (inList && !line.startsWith('- ')) {
      html.push('</ul>');
      inList = false;
    }
    const image = /^!\[(.*)\]\((.*)\)$/.exec(line);
    const text = escapeXml(line)
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/`(.+?)`/g, '<code>$1</code>')
      .replace(/\[(.+?)\]\((.+?)\)/g, '<a href="$2">$1</a>');
    if (image) html.push(`<p><img src="${escapeXml(image[2] as string)}" alt="${escapeXml(image[1] as string)}"></p>`);
    else if (line.startsWith('## ')) html.push(`<h2>${text.slice(3)}</h2>`);
    else if (line.startsWith('# ')) html.push(`<h1>${text.slice(2)}</h1>`);
    else if (line.startsWith('- ')) {
      if (!inList) html.push('<ul>');
      inList = true;
      html.push(`<li>${text.slice(2)}</li>`);
    } else if (line.trim() !== '') html.push(`<p>${text}</p>`);
  }
  if (inTable) html.push('</table>');
  if (inList) html.push('</ul>');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>optimgrad training report</title>',
    '<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}img{max-width:100%}</style>',
    '</head><body>',
    ...html,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Writes the report folder and returns the paths of its files.
 * @example await writeTrainReport({ data, settings, result, seed: 0, summary }, './optimgrad-report');
 */
export async function writeTrainReport(input: TrainReportInput, dir: string): Promise<TrainReportFiles> {
  const { data, result } = input;
  const files: Record<string, string> = {};
  const { loss, accuracy } = curves(result);
  files.loss = writeReportFile(dir, 'loss.svg', loss);
  files.accuracy = writeReportFile(dir, 'accuracy.svg', accuracy);
  files.gradientFlow = writeReportFile(
    dir,
    'gradient-flow.svg',
    result.tracker.toSvg({ title: 'Gradient flow: gradient 2-norm per parameter' }),
  );
  const model = result.model;
  model.eval();
  const sample = data.test.x.slice(0, 0, 2);
  const sampleLoss = crossEntropyLoss(model.forward(sample), data.test.y.slice(0, 0, 2));
  sampleLoss.backward();
  files.graph = writeReportFile(dir, 'graph.svg', await toSvg(sampleLoss, { params: model }));
  model.zeroGrad();
  files.chainRule = writeReportFile(dir, 'chain-rule.md', chainRuleMarkdown());
  const label = data.test.y.data[0] as number;
  const epsilons = data.image ? [0.002, 0.005, 0.01, 0.02] : [0.01, 0.05, 0.2];
  const valid: [number, number] = data.image ? [0, 1] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const bounds = modelBounds(model, data.test.x.select(0, 0), label, epsilons, 200, valid);
  files.bounds = writeReportFile(dir, 'bounds.md', boundsMarkdown(bounds));
  files.weights = saveModel(model, dir, {
    format: 'pt',
    dataset: data.name,
    sizes: result.sizes.join(','),
    testAccuracy: result.testAccuracy.toFixed(4),
  });
  const warnings = detectGradientPathologies(result.tracker.history);
  const markdown = reportMarkdown(input, bounds, warnings, activationStatistics(input));
  files.report = writeReportFile(dir, 'report.md', markdown);
  files.html = writeReportFile(dir, 'index.html', markdownToHtml(markdown));
  return { dir, files };
}
