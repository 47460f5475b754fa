/**
 * @file Every name docs/API.md (the repository's API reference) lists for @optimgrad/core exists: the
 * exports, and the Tensor properties and methods, read from the reference itself so a rename or removal
 * on either side fails here; and every runtime export of core is listed there, so the reference stays whole.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index';

const reference = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/API.md'), 'utf8');

/** The text of one `##`/`###` section (up to the next heading of the same or a higher level). */
function section(markdown: string, heading: string): string {
  const level = heading.indexOf(' ');
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`docs/API.md has no heading "${heading}"`);
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next === -1 ? rest : rest.slice(0, next);
}

/**
 * The names of a table's rows: the identifier starting each code span of the first cell
 * (`` `grad(outputs, inputs)` `` gives `grad`; `` `getBackend()` / `setBackend(b)` `` gives both).
 */
function listedNames(table: string): string[] {
  const names: string[] = [];
  for (const line of table.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.slice(1).split(/(?<!\\)\|/)[0] as string;
    for (const span of firstCell.matchAll(/`([A-Za-z_$][\w$]*)/g)) names.push(span[1] as string);
  }
  return names;
}

const coreSection = section(reference, '## @optimgrad/core');
const values = listedNames(section(coreSection, '### Functions, classes and values'));
const properties = listedNames(section(coreSection, '### Tensor properties'));
const methods = listedNames(section(coreSection, '### Tensor methods'));

const exported = new Map<string, unknown>(Object.entries(core));

describe('docs/API.md and the public API of @optimgrad/core', () => {
  it('lists names in every core table', () => {
    expect(values.length).toBeGreaterThan(40);
    expect(properties.length).toBeGreaterThan(10);
    expect(methods.length).toBeGreaterThan(80);
    // Spot checks that the parser reads the tables: one name of each kind, and none from another package.
    expect(values).toEqual(expect.arrayContaining(['tensor', 'grad', 'getBackend', 'setBackend', 'ops']));
    expect(methods).toContain('logSoftmax');
    expect(values).not.toContain('Linear');
  });

  it.each(values)('exports %s', (name) => {
    expect(exported.has(name), `${name} is listed in docs/API.md but not exported`).toBe(true);
    expect(['function', 'object']).toContain(typeof exported.get(name));
  });

  it('lists every runtime export of core', () => {
    const unlisted = [...exported.keys()].filter((name) => !values.includes(name));
    expect(unlisted, 'exported by core but missing from docs/API.md').toEqual([]);
  });

  it.each(methods)('Tensor has the method %s', (name) => {
    expect(typeof (core.Tensor.prototype as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(properties)('Tensor has the property %s', (name) => {
    const m = core.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(name in m).toBe(true);
    expect(() => (m as unknown as Record<string, unknown>)[name]).not.toThrow();
  });

  it('exposes gradgradcheck, detectAnomaly and the ops table for the test suite and inspect', () => {
    expect(typeof core.gradgradcheck).toBe('function');
    expect(typeof core.detectAnomaly).toBe('function');
    expect(Object.keys(core.ops).length).toBeGreaterThan(40);
  });
});
