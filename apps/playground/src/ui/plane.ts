/**
 * @file Drawing the input plane on a canvas: the network's class probabilities as a heat map (each
 * class's colour, paler where the network is unsure) and the data points on top, plus the mapping
 * between canvas pixels and input coordinates that the bounds box needs.
 */
import type { Box } from '../train/grid';
import type { PlotData } from '../train/trainer';
import { GRID_SIZE } from '../train/trainer';

/** One colour per class (RGB), chosen to stay apart for common colour-vision deficiencies. */
const CLASS_COLORS: readonly (readonly [number, number, number])[] = [
  [230, 120, 20],
  [31, 111, 235],
  [0, 150, 90],
];

const colorOf = (label: number) => CLASS_COLORS[label % CLASS_COLORS.length] as readonly [number, number, number];

/**
 * Canvas pixel → input coordinates, for a canvas showing `domain`.
 * @example toInput(canvas, domain, 0, 0); // { x: domain.x0, y: domain.y1 }
 */
export function toInput(canvas: HTMLCanvasElement, domain: Box, px: number, py: number): { x: number; y: number } {
  return {
    x: domain.x0 + (px / canvas.width) * (domain.x1 - domain.x0),
    y: domain.y1 - (py / canvas.height) * (domain.y1 - domain.y0),
  };
}

/**
 * Input coordinates → canvas pixel.
 * @example toPixel(canvas, domain, domain.x1, domain.y0); // { px: canvas.width, py: canvas.height }
 */
export function toPixel(canvas: HTMLCanvasElement, domain: Box, x: number, y: number): { px: number; py: number } {
  return {
    px: ((x - domain.x0) / (domain.x1 - domain.x0)) * canvas.width,
    py: ((domain.y1 - y) / (domain.y1 - domain.y0)) * canvas.height,
  };
}

/**
 * Draws the heat map (when probabilities are known) and the points.
 * @example drawPlane(canvas, data, snapshot.probabilities);
 */
export function drawPlane(canvas: HTMLCanvasElement, data: PlotData, probabilities: Float32Array | null): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  if (probabilities !== null && probabilities.length === GRID_SIZE * GRID_SIZE * data.classes) {
    const image = context.createImageData(GRID_SIZE, GRID_SIZE);
    for (let cell = 0; cell < GRID_SIZE * GRID_SIZE; cell++) {
      let best = 0;
      let confidence = 0;
      for (let c = 0; c < data.classes; c++) {
        const p = probabilities[cell * data.classes + c] as number;
        if (p > confidence) [best, confidence] = [c, p];
      }
      // Certainty above chance, 0..1: pale near the boundary, strong far from it.
      const strength = Math.max(0, (confidence - 1 / data.classes) / (1 - 1 / data.classes)) * 0.55;
      const [r, g, b] = colorOf(best);
      image.data.set(
        [255 + (r - 255) * strength, 255 + (g - 255) * strength, 255 + (b - 255) * strength, 255],
        cell * 4,
      );
    }
    // Scale the small grid image up smoothly.
    const offscreen = document.createElement('canvas');
    offscreen.width = GRID_SIZE;
    offscreen.height = GRID_SIZE;
    offscreen.getContext('2d')?.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(offscreen, 0, 0, width, height);
  }
  for (let i = 0; i < data.labels.length; i++) {
    const { px, py } = toPixel(canvas, data.domain, data.points[2 * i] as number, data.points[2 * i + 1] as number);
    const [r, g, b] = colorOf(data.labels[i] as number);
    context.beginPath();
    context.arc(px, py, 3, 0, 2 * Math.PI);
    if (i < data.trainCount) {
      context.fillStyle = `rgb(${r},${g},${b})`;
      context.fill();
      context.strokeStyle = '#fff';
      context.lineWidth = 0.8;
    } else {
      context.fillStyle = '#fff';
      context.fill();
      context.strokeStyle = `rgb(${r},${g},${b})`;
      context.lineWidth = 2;
    }
    context.stroke();
  }
}

/**
 * Outlines a box of the input plane.
 * @example drawBox(canvas, domain, { x0: 0, x1: 1, y0: 0, y1: 1 });
 */
export function drawBox(canvas: HTMLCanvasElement, domain: Box, box: Box): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const a = toPixel(canvas, domain, box.x0, box.y1);
  const b = toPixel(canvas, domain, box.x1, box.y0);
  context.fillStyle = 'rgba(31, 35, 40, 0.12)';
  context.fillRect(a.px, a.py, b.px - a.px, b.py - a.py);
  context.strokeStyle = '#1f2328';
  context.lineWidth = 2;
  context.setLineDash([6, 3]);
  context.strokeRect(a.px, a.py, b.px - a.px, b.py - a.py);
  context.setLineDash([]);
}
