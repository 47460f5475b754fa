/**
 * @file Draws a 28×28 grey-level image as ASCII art for the terminal (two characters per pixel, so
 * the digit keeps its aspect ratio).
 */

const SHADES = ' .:-=+*#%@';

/**
 * Renders pixels in [0, 1] (row-major) as lines of text.
 * @example asciiDigit(new Float32Array(784), 28, 28).length; // 28 lines
 */
export function asciiDigit(pixels: ArrayLike<number>, width: number, height: number): string[] {
  const lines: string[] = [];
  for (let row = 0; row < height; row++) {
    let line = '';
    for (let column = 0; column < width; column++) {
      const value = Math.min(1, Math.max(0, pixels[row * width + column] as number));
      const shade = SHADES[Math.round(value * (SHADES.length - 1))] as string;
      line += shade + shade;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/**
 * Crops empty border rows so a column of digits stays compact.
 * @example cropBlankRows(['', 'ab', '']); // ['ab']
 */
export function cropBlankRows(lines: readonly string[]): string[] {
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) return [];
  let last = lines.length - 1;
  while (last > first && (lines[last] as string).trim() === '') last--;
  return lines.slice(first, last + 1);
}

/**
 * Renders pixels in [0, 1] at half height, one character per pixel and one line per two pixel rows,
 * so a 28×28 digit fits in 28×14 characters with about the right aspect ratio.
 * @example asciiDigitCompact(new Float32Array(784), 28, 28).length; // 14 lines
 */
export function asciiDigitCompact(pixels: ArrayLike<number>, width: number, height: number): string[] {
  const lines: string[] = [];
  for (let row = 0; row < height; row += 2) {
    let line = '';
    for (let column = 0; column < width; column++) {
      const top = pixels[row * width + column] as number;
      const bottom = row + 1 < height ? (pixels[(row + 1) * width + column] as number) : 0;
      const value = Math.min(1, Math.max(0, (top + bottom) / 2));
      line += SHADES[Math.round(value * (SHADES.length - 1))] as string;
    }
    lines.push(line);
  }
  return lines;
}
