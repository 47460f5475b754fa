/**
 * @file The Explain tab: as the user types an expression and its variables' values, shows the value,
 * the gradients, the computational graph (inspect's `toSvg`, laid out by Graphviz in WebAssembly), the
 * chain rule step by step and the gradient paths. A malformed expression gets an inline message with a
 * caret under the place where parsing stopped; nothing is thrown to the console.
 */
import { toSvg } from '@optimgrad/inspect';
import { explainExpression, formatValue, variablesOf } from '../explain/explain-expression';
import type { Settings } from '../state/settings';
import { byId, downloadBytes } from './dom';

/** Typing pauses this long (ms) before the expression is recomputed. */
const TYPING_DELAY = 120;

/**
 * Wires the Explain tab.
 * @example setupExplainView(settings, (next) => update(next));
 */
export function setupExplainView(initial: Settings, update: (next: Partial<Settings>) => void): void {
  const input = byId('expression', HTMLInputElement);
  const variablesBox = byId('variables', HTMLElement);
  const errorBox = byId('expression-error', HTMLElement);
  const result = byId('explain-result', HTMLElement);
  const graph = byId('graph', HTMLElement);
  const values: Record<string, number> = { ...initial.values };
  let shown: readonly string[] = [];
  let svg = '';
  let render = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showVariables = (names: readonly string[]) => {
    if (names.join() === shown.join()) return;
    shown = names;
    variablesBox.replaceChildren(
      ...names.map((name) => {
        const label = document.createElement('label');
        label.textContent = name;
        const field = document.createElement('input');
        field.type = 'number';
        field.step = 'any';
        field.name = `value-${name}`;
        field.dataset.variable = name;
        values[name] ??= 1;
        field.value = String(values[name]);
        field.addEventListener('input', () => {
          const parsed = Number(field.value);
          if (field.value.trim() !== '' && Number.isFinite(parsed)) values[name] = parsed;
          else delete values[name];
          schedule();
        });
        label.append(field);
        return label;
      }),
    );
  };

  const showError = (message: string, position: number | null) => {
    input.setAttribute('aria-invalid', 'true');
    const text = document.createElement('p');
    text.textContent = message;
    errorBox.replaceChildren(text);
    if (position !== null) {
      const pointer = document.createElement('pre');
      pointer.textContent = `${input.value}\n${' '.repeat(position)}^`;
      pointer.setAttribute('aria-label', `the problem is at character ${position + 1}`);
      errorBox.append(pointer);
    }
    errorBox.hidden = false;
    result.classList.add('stale');
  };

  const compute = async () => {
    const source = input.value;
    const names = variablesOf(source);
    // While the text does not parse, the inputs (and the values typed in them) stay as they were.
    if (names !== null) showVariables(names);
    const explanation = explainExpression(source, values);
    const token = ++render;
    if (!explanation.ok) {
      showError(explanation.message, explanation.position);
      return;
    }
    input.removeAttribute('aria-invalid');
    errorBox.hidden = true;
    result.classList.remove('stale');
    const used = Object.fromEntries(explanation.variables.map((name) => [name, values[name] as number]));
    update({ expression: source, values: used });
    byId('explain-value', HTMLElement).textContent = formatValue(explanation.value);
    byId('gradients', HTMLUListElement).replaceChildren(
      ...explanation.variables.map((name) => {
        const item = document.createElement('li');
        const gradient = explanation.gradients[name] ?? 0;
        item.dataset.variable = name;
        item.dataset.value = String(gradient);
        item.textContent = `∂f/∂${name} = ${formatValue(gradient)}`;
        return item;
      }),
    );
    byId('explain-note', HTMLElement).textContent = explanation.note ?? '';
    byId('walkthrough', HTMLElement).textContent = explanation.walkthrough;
    byId('paths', HTMLElement).textContent = explanation.variables
      .map((name) => `to ${name}:\n${explanation.paths[name] ?? ''}`)
      .join('\n\n');
    try {
      const drawn = await toSvg(explanation.output, { params: explanation.leaves });
      if (token !== render) return;
      svg = drawn;
      graph.innerHTML = drawn;
    } catch (error) {
      if (token !== render) return;
      svg = '';
      graph.textContent = `cannot draw the graph: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void compute(), TYPING_DELAY);
  };

  input.value = initial.expression;
  input.addEventListener('input', schedule);
  byId('explain-form', HTMLFormElement).addEventListener('submit', (event) => event.preventDefault());
  byId('save-graph', HTMLButtonElement).addEventListener('click', () => {
    if (svg !== '') downloadBytes('optimgrad-graph.svg', svg, 'image/svg+xml');
  });
  void compute();
}
