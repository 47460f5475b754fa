/**
 * @file The Bounds tab: drag a box over the input plane (or type its corners) and see the network's
 * outputs over it three ways, computed in the worker: the range seen at sampled points, inspect's sound
 * interval bounds and CROWN bounds. A sound bound must contain the sampled range; the table says so.
 */
import { formatNumber } from '@optimgrad/core';
import type { Box } from '../train/grid';
import type { BoundsReport, Range } from '../train/network-bounds';
import { byId, field } from './dom';
import { drawBox, drawPlane, toInput } from './plane';
import type { TrainView } from './train-view';

const show = (value: number) => formatNumber(value, { digits: 4 });
const rangeText = (range: Range, c: number) => `[${show(range.lower[c] as number)}, ${show(range.upper[c] as number)}]`;

/**
 * Wires the Bounds tab to the training worker.
 * @example setupBoundsView(trainView);
 */
export function setupBoundsView(train: TrainView): { redraw(): void } {
  const canvas = byId('bounds-plane', HTMLCanvasElement);
  const form = byId('bounds-form', HTMLFormElement);
  const message = byId('bounds-message', HTMLElement);
  const table = byId('bounds-table', HTMLTableElement);
  const inputs = (['x0', 'x1', 'y0', 'y1'] as const).map((name) => field(form, name, HTMLInputElement));
  let box: Box | null = null;
  let dragStart: { x: number; y: number } | null = null;

  const redraw = () => {
    const plane = train.plane();
    if (plane === null) return;
    drawPlane(canvas, plane.data, plane.probabilities);
    if (box !== null) drawBox(canvas, plane.data.domain, box);
  };

  const fillInputs = (b: Box) => {
    [b.x0, b.x1, b.y0, b.y1].forEach((value, i) => {
      (inputs[i] as HTMLInputElement).value = formatNumber(value, { digits: 4 });
    });
  };

  const showReport = (report: BoundsReport) => {
    const rows = report.sampled.lower.map((_, c) => {
      const row = document.createElement('tr');
      row.dataset.output = String(c);
      const contains = (range: Range | null) =>
        range === null ||
        ((range.lower[c] as number) <= (report.sampled.lower[c] as number) &&
          (range.upper[c] as number) >= (report.sampled.upper[c] as number));
      const cells: [string, Range | null, string][] = [
        ['sampled', report.sampled, rangeText(report.sampled, c)],
        ['interval', report.interval, rangeText(report.interval, c)],
        ['crown', report.crown, report.crown === null ? report.crownNote : rangeText(report.crown, c)],
      ];
      const head = document.createElement('th');
      head.scope = 'row';
      head.textContent = `class ${c} logit`;
      row.append(head);
      for (const [kind, range, textValue] of cells) {
        const cell = document.createElement('td');
        cell.dataset.kind = kind;
        if (range !== null) {
          cell.dataset.lower = String(range.lower[c]);
          cell.dataset.upper = String(range.upper[c]);
        }
        cell.textContent = kind === 'sampled' || contains(range) ? textValue : `${textValue} (misses the samples!)`;
        row.append(cell);
      }
      return row;
    });
    table.tBodies[0]?.replaceChildren(...rows);
    table.hidden = false;
    message.textContent = `over x ∈ [${show(report.box.x0)}, ${show(report.box.x1)}], y ∈ [${show(report.box.y0)}, ${show(report.box.y1)}]; ${report.samples} samples`;
  };

  const compute = async (b: Box) => {
    box = b;
    redraw();
    fillInputs(b);
    message.textContent = 'computing…';
    try {
      showReport(await train.client.bounds(b));
    } catch (error) {
      table.hidden = true;
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  };

  const pointer = (event: PointerEvent) => {
    const plane = train.plane();
    if (plane === null) return null;
    const rect = canvas.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * canvas.width;
    const py = ((event.clientY - rect.top) / rect.height) * canvas.height;
    return toInput(canvas, plane.data.domain, px, py);
  };
  const boxFrom = (a: { x: number; y: number }, b: { x: number; y: number }): Box => ({
    x0: Math.min(a.x, b.x),
    x1: Math.max(a.x, b.x),
    y0: Math.min(a.y, b.y),
    y1: Math.max(a.y, b.y),
  });

  canvas.addEventListener('pointerdown', (event) => {
    dragStart = pointer(event);
    if (dragStart !== null) canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    const at = pointer(event);
    if (dragStart === null || at === null) return;
    box = boxFrom(dragStart, at);
    redraw();
  });
  canvas.addEventListener('pointerup', (event) => {
    const at = pointer(event);
    if (dragStart !== null && at !== null) void compute(boxFrom(dragStart, at));
    dragStart = null;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const [x0, x1, y0, y1] = inputs.map((input) => Number(input.value));
    void compute({ x0: x0 as number, x1: x1 as number, y0: y0 as number, y1: y1 as number });
  });
  train.onPlane(redraw);
  return { redraw };
}
