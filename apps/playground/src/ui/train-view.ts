/**
 * @file The Train tab: the form, the start/pause/step/reset buttons, the live numbers, the heat map,
 * the loss/accuracy and per-layer gradient-norm charts (inspect's `lineChart`), inspect's warnings as
 * they appear, and downloading or loading the weights. Training itself runs in the worker.
 */
import { lineChart } from '@optimgrad/inspect';
import type { Settings, TrainSettings } from '../state/settings';
import { TrainClient } from '../train/train-client';
import type { PlotData, Snapshot } from '../train/trainer';
import { byId, downloadBytes } from './dom';
import { drawPlane } from './plane';
import { fillTrainForm, readTrainForm, showRangeValues } from './train-form';

/** Points kept per chart line; older points are thinned out beyond this. */
const HISTORY_LIMIT = 300;
/** Charts are redrawn at most this often (ms); the numbers and the heat map at every snapshot. */
const CHART_INTERVAL = 300;

interface History {
  steps: number[];
  loss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
  layerNorms: number[][];
}

const emptyHistory = (): History => ({ steps: [], loss: [], trainAccuracy: [], testAccuracy: [], layerNorms: [] });

function thin(history: History): void {
  const keep = (_: unknown, i: number) => i % 2 === 0;
  history.steps = history.steps.filter(keep);
  history.loss = history.loss.filter(keep);
  history.trainAccuracy = history.trainAccuracy.filter(keep);
  history.testAccuracy = history.testAccuracy.filter(keep);
  history.layerNorms = history.layerNorms.map((series) => series.filter(keep));
}

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–');

/** What the rest of the page reads from the Train tab. */
export interface TrainView {
  readonly client: TrainClient;
  /** The dataset and latest class probabilities, or null before the worker is ready. */
  plane(): { data: PlotData; probabilities: Float32Array | null } | null;
  /** Called with each new plane (the Bounds tab redraws from it). */
  onPlane(listener: () => void): void;
}

/**
 * Wires the Train tab to a new training worker.
 * @example const view = setupTrainView(settings, (next) => update(next));
 */
export function setupTrainView(initial: Settings, update: (next: Partial<Settings>) => void): TrainView {
  const form = byId('train-form', HTMLFormElement);
  const canvas = byId('heat-map', HTMLCanvasElement);
  const runButton = byId('run', HTMLButtonElement);
  const message = byId('train-message', HTMLElement);
  const warningList = byId('warnings', HTMLUListElement);
  const text = (id: string, value: string, raw?: number) => {
    const element = byId(id, HTMLElement);
    element.textContent = value;
    if (raw !== undefined) element.dataset.value = String(raw);
  };
  let settings: TrainSettings = initial;
  let running = false;
  let data: PlotData | null = null;
  let probabilities: Float32Array | null = null;
  let history = emptyHistory();
  let lastChart = 0;
  const firstSeen = new Map<string, number>();
  const planeListeners: (() => void)[] = [];

  const drawCharts = () => {
    lastChart = performance.now();
    const xs = history.steps;
    byId('loss-chart', HTMLElement).innerHTML = lineChart(
      [
        { name: 'loss', values: history.loss, xs },
        { name: 'train accuracy', values: history.trainAccuracy, xs },
        { name: 'test accuracy', values: history.testAccuracy, xs },
      ],
      { title: 'Loss and accuracy', xLabel: 'step', width: 420, height: 260, yPadding: 0.05, distinct: true },
    );
    byId('grad-chart', HTMLElement).innerHTML = lineChart(
      history.layerNorms.map((values, layer) => ({ name: `layer ${layer + 1}`, values, xs })),
      {
        title: 'Gradient norm per layer',
        xLabel: 'step',
        yLabel: '‖grad‖',
        logY: true,
        width: 420,
        height: 260,
        distinct: true,
      },
    );
  };

  const showWarnings = (snapshot: Snapshot) => {
    const items = snapshot.warnings.map((warning) => {
      // The numbers in a warning change every step; its subject (parameter and kind) identifies it.
      const key = warning.includes(' has ')
        ? (warning.split(' has ')[0] as string)
        : warning.split(':').slice(0, 2).join(':');
      if (!firstSeen.has(key)) firstSeen.set(key, snapshot.step);
      const item = document.createElement('li');
      item.textContent = `since step ${firstSeen.get(key)}: ${warning}`;
      return item;
    });
    if (items.length === 0) {
      const none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'none right now';
      items.push(none);
    }
    const same =
      items.length === warningList.children.length &&
      items.every((item, i) => warningList.children[i]?.textContent === item.textContent);
    if (!same) warningList.replaceChildren(...items);
  };

  const client = new TrainClient({
    ready(ready) {
      data = ready;
      probabilities = null;
      history = emptyHistory();
      firstSeen.clear();
      drawPlane(canvas, ready, null);
      for (const listener of planeListeners) listener();
    },
    snapshot(snapshot, isRunning) {
      running = isRunning;
      runButton.textContent = running ? 'Pause' : 'Start';
      text('step-count', String(snapshot.step), snapshot.step);
      text('epoch-count', String(snapshot.epoch));
      text('loss', Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(4) : '–', snapshot.loss);
      text('train-accuracy', percent(snapshot.trainAccuracy), snapshot.trainAccuracy);
      text('test-accuracy', percent(snapshot.testAccuracy), snapshot.testAccuracy);
      probabilities = snapshot.probabilities;
      if (data !== null) drawPlane(canvas, data, probabilities);
      for (const listener of planeListeners) listener();
      if (snapshot.step > 0 && Number.isFinite(snapshot.loss)) {
        history.steps.push(snapshot.step);
        history.loss.push(snapshot.loss);
        history.trainAccuracy.push(snapshot.trainAccuracy);
        history.testAccuracy.push(snapshot.testAccuracy);
        snapshot.layerGradNorms.forEach((norm, layer) => {
          history.layerNorms[layer] ??= new Array<number>(history.steps.length - 1).fill(Number.NaN);
          history.layerNorms[layer]?.push(norm);
        });
        if (history.steps.length > HISTORY_LIMIT) thin(history);
      }
      if (!running || performance.now() - lastChart > CHART_INTERVAL) drawCharts();
      showWarnings(snapshot);
    },
    error(text) {
      message.textContent = text;
    },
  });

  const reset = () => {
    message.textContent = '';
    client.reset(settings);
  };

  fillTrainForm(form, settings);
  form.addEventListener('input', () => showRangeValues(form));
  form.addEventListener('change', () => {
    const next = readTrainForm(form, settings);
    if (typeof next === 'string') {
      message.textContent = next;
      return;
    }
    settings = next;
    update(next);
    reset();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  runButton.addEventListener('click', () => (running ? client.pause() : client.start()));
  byId('step-once', HTMLButtonElement).addEventListener('click', () => client.step());
  byId('reset', HTMLButtonElement).addEventListener('click', reset);
  byId('save-weights', HTMLButtonElement).addEventListener('click', async () => {
    try {
      const bytes = await client.save();
      downloadBytes(`optimgrad-${settings.dataset}-mlp.safetensors`, bytes, 'application/octet-stream');
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  const fileInput = byId('load-weights', HTMLInputElement);
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (file === undefined) return;
    try {
      const loaded = await client.load(await file.arrayBuffer());
      const activation = loaded.activation as TrainSettings['activation'];
      settings = { ...settings, hidden: [...loaded.hidden], activation };
      fillTrainForm(form, settings);
      update({ hidden: settings.hidden, activation });
      history = emptyHistory();
      message.textContent = `loaded ${file.name}: hidden layers ${loaded.hidden.join(', ') || 'none'}, ${activation}`;
    } catch (error) {
      message.textContent = `cannot load ${file.name}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      fileInput.value = '';
    }
  });
  reset();
  drawCharts();

  return {
    client,
    plane: () => (data === null ? null : { data, probabilities }),
    onPlane: (listener) => planeListeners.push(listener),
  };
}
