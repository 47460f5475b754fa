/**
 * @file The `Optimizer` base class, after torch.optim.Optimizer: param groups with per-group options,
 * validation, `zeroGrad`, the `step` loop over parameters that have a gradient, and a JSON-safe
 * `stateDict` / `loadStateDict` so training resumes exactly where it stopped.
 */
import { enableGrad, formatShape, getBackend, isTensor, type Tensor, type TypedArray } from '@optimgrad/core';
import { openParam, type ParamView } from './param-access';
import type {
  BaseOptions,
  OptimizerStateDict,
  ParamBatch,
  ParamGroup,
  ParamGroupInput,
  ParamState,
  ParamsInput,
  SerializedParamGroup,
  SerializedParamState,
} from './types';

/** Option keys the schedulers may store in a group; accepted in groups and state dicts. */
const SCHEDULER_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

/**
 * Base class of every optimizer: subclasses give defaults, `validate` and the per-parameter `update`.
 * @example class Plain extends Optimizer<{ lr: number }> { ... }
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The constructor's options with every default filled in; groups fall back to these. */
  readonly defaults: Readonly<O>;
  /** The param groups; their options (such as `lr`) may be changed between steps, as schedulers do. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (step count and buffers), created on a parameter's first update. */
  readonly state = new Map<Tensor, ParamState>();

  protected constructor(
    /** The class name used in error messages (`'SGD'`, `'Adam'`, ...). */
    readonly name: string,
    params: ParamsInput<O>,
    defaults: O,
  ) {
    this.defaults = defaults;
    if (isTensor(params) || !isIterable(params)) {
      throw new Error(
        `${name}: params must be an array of tensors or of param groups ({ params, ...options }), but got ${describe(params)}; wrap a single tensor as [tensor]`,
      );
    }
    const list: unknown[] = [...params];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list; pass at least one tensor`);
    const groups = list.every((p) => isTensor(p))
      ? [{ params: list } as unknown as ParamGroupInput<O>]
      : (list as ParamGroupInput<O>[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /**
   * The names of the buffers `update` keeps in a parameter's state (`['momentumBuffer']` for SGD);
   * `loadStateDict` rejects any other. Undefined (the default for subclasses outside this package) accepts any name.
   */
  protected readonly bufferNames: readonly string[] | undefined = undefined;

  /** Checks one group's options; throws naming the option, its value and the valid range. */
  protected abstract validate(options: O): void;

  /**
   * Updates every parameter of `batch` (the parameters of `group` that have a gradient) in place, in one
   * call: the built-in optimizers hand the whole batch to one fused backend kernel (`getBackend().adamStep`,
   * ...). The default runs `update` on each parameter in turn.
   */
  protected updateGroup(batch: ParamBatch, group: ParamGroup<O>): void {
    batch.tensors.forEach((tensor, i) => {
      this.update(
        batch.params[i] as TypedArray,
        batch.grads[i] as TypedArray,
        batch.states[i] as ParamState,
        group,
        tensor,
      );
    });
  }

  /**
   * Updates one parameter in place from its gradient; `param` and `grad` are row-major elements. Override
   * this (simple) or `updateGroup` (one call per param group).
   */
  protected update(
    _param: TypedArray,
    _grad: TypedArray,
    _state: ParamState,
    _group: ParamGroup<O>,
    _tensor: Tensor,
  ): void {
    throw new Error(`${this.name}: an optimizer must override update() or updateGroup()`);
  }

  /**
   * Adds a param group (for example layers unfrozen during training); missing options take the defaults.
   * @example opt.addParamGroup({ params: head.parameters(), lr: 1e-2 });
   */
  addParamGroup(input: ParamGroupInput<O>): void {
    if (input === null || typeof input !== 'object' || isTensor(input) || !('params' in input)) {
      throw new Error(
        `${this.name}: a param group must be an object { params: Tensor[], ...options }, but got ${describe(input)}`,
      );
    }
    const raw: unknown = input.params;
    if (!isTensor(raw) && !isIterable(raw)) {
      throw new Error(`${this.name}: a param group's params must be a Tensor or an array of tensors`);
    }
    const params: Tensor[] = isTensor(raw) ? [raw] : [...(raw as Iterable<Tensor>)];
    const allowed = new Set([...Object.keys(this.defaults), ...SCHEDULER_KEYS, 'params']);
    for (const key of Object.keys(input)) {
      if (!allowed.has(key)) {
        throw new Error(
          `${this.name}: unknown option '${key}'; valid options are ${Object.keys(this.defaults).join(', ')}`,
        );
      }
    }
    const seen = new Set<Tensor>();
    for (const group of this.paramGroups) for (const p of group.params) seen.add(p);
    for (const [index, p] of params.entries()) {
      if (!isTensor(p)) {
        throw new Error(`${this.name}: params[${index}] is ${describe(p)}, but optimizers can only optimize Tensors`);
      }
      if (!p.isLeaf) {
        throw new Error(
          `${this.name}: can't optimize a non-leaf Tensor (params[${index}] was computed by '${p.gradFn?.name}'); optimize the leaf tensors it came from, or use t.detach() with requiresGrad = true`,
        );
      }
      if (seen.has(p)) {
        throw new Error(
          `${this.name}: params[${index}] (shape ${formatShape(p.shape)}) appears more than once; give each parameter to exactly one param group`,
        );
      }
      seen.add(p);
    }
    const options = { ...this.defaults } as Record<string, unknown>;
    for (const [key, value] of Object.entries(input)) if (value !== undefined && key !== 'params') options[key] = value;
    if (Array.isArray(options.betas)) options.betas = [...options.betas];
    const group = { ...options, params } as unknown as ParamGroup<O>;
    this.validate(group);
    this.paramGroups.push(group);
  }

  /**
   * Clears every parameter's gradient: to null by default (PyTorch 2), or zeroed in place.
   * @example opt.zeroGrad(); // or opt.zeroGrad(false) to keep zero-filled gradient tensors
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) for (const p of group.params) p.zeroGrad(setToNone);
  }

  /**
   * Performs one update of every parameter that has a gradient; `closure` (re-evaluating the loss) is
   * run first with gradients enabled and its result returned.
   * @example loss.backward(); opt.step();
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    for (const group of this.paramGroups) {
      const batch: ParamBatch = { tensors: [], params: [], grads: [], states: [] };
      const views: ParamView[] = [];
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        let state = this.state.get(p);
        if (state === undefined) {
          state = { step: 0, buffers: {} };
          this.state.set(p, state);
        }
        const view = openParam(p);
        views.push(view);
        batch.tensors.push(p);
        batch.params.push(view.values);
        batch.grads.push(grad.data);
        batch.states.push(state);
      }
      if (views.length === 0) continue;
      this.updateGroup(batch, group);
      for (const view of views) view.commit();
    }
    return loss;
  }

  /**
   * The optimizer's state as JSON-safe data (buffers as plain arrays), for `JSON.stringify`.
   * @example const saved = JSON.stringify(opt.stateDict());
   */
  stateDict(): OptimizerStateDict<O> {
    const state: Record<string, SerializedParamState> = {};
    const paramGroups: SerializedParamGroup<O>[] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const indices: number[] = [];
      for (const p of group.params) {
        const entry = this.state.get(p);
        if (entry !== undefined) {
          const serialized: SerializedParamState = { step: entry.step };
          for (const [name, buffer] of Object.entries(entry.buffers)) serialized[name] = Array.from(buffer);
          state[String(index)] = serialized;
        }
        indices.push(index++);
      }
      const { params: _params, ...options } = group;
      paramGroups.push({ ...copyOptions(options), params: indices } as SerializedParamGroup<O>);
    }
    return { optimizer: this.name, state, paramGroups };
  }

  /**
   * Restores state saved by `stateDict()` (possibly after a JSON round trip) into this optimizer, whose
   * param groups must hold the same number of parameters with the same sizes, in the same order.
   * @example opt.loadStateDict(JSON.parse(saved));
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (
      dict === null ||
      typeof dict !== 'object' ||
      !Array.isArray(dict.paramGroups) ||
      typeof dict.state !== 'object' ||
      dict.state === null
    ) {
      throw new Error(`${where}: expected { state, paramGroups } as returned by stateDict()`);
    }
    if (dict.optimizer !== undefined && dict.optimizer !== this.name) {
      throw new Error(
        `${where}: this state dict was saved by ${String(dict.optimizer)}, not ${this.name}; load it into a ${String(dict.optimizer)} optimizer built with the same param groups`,
      );
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(
        `${where}: the saved state has ${dict.paramGroups.length} param groups but this optimizer has ${this.paramGroups.length}; build the optimizer with the same groups`,
      );
    }
    // Everything is checked before anything is changed, so a load that throws leaves the optimizer as it was.
    const allowed = new Set([...Object.keys(this.defaults), ...SCHEDULER_KEYS, 'params']);
    const byIndex = new Map<number, Tensor>();
    const groupOptions: Record<string, unknown>[] = [];
    for (const [g, saved] of dict.paramGroups.entries()) {
      const group = this.paramGroups[g] as ParamGroup<O>;
      if (saved === null || typeof saved !== 'object' || !Array.isArray(saved.params)) {
        throw new Error(`${where}: saved param group ${g} has no params index list`);
      }
      for (const key of Object.keys(saved)) {
        if (!allowed.has(key)) {
          // Before the kind was saved, a state dict of another optimizer shows itself by its option names.
          throw new Error(
            `${where}: saved param group ${g}: unknown option '${key}'; valid options are ${Object.keys(this.defaults).join(', ')} (was it saved by another kind of optimizer?)`,
          );
        }
      }
      if (saved.params.length !== group.params.length) {
        throw new Error(
          `${where}: saved param group ${g} has ${saved.params.length} parameters but this optimizer's group ${g} has ${group.params.length}`,
        );
      }
      const { params: _saved, ...savedOptions } = saved;
      const { params: _current, ...currentOptions } = group;
      const options = { ...copyOptions(currentOptions), ...copyOptions(savedOptions) };
      try {
        this.validate(options as unknown as O);
        for (const key of SCHEDULER_KEYS) {
          const value = options[key];
          if (value !== undefined && typeof value !== 'number') {
            throw new Error(`${this.name}: invalid ${key} value ${String(value)}; ${key} must be a number`);
          }
        }
      } catch (error) {
        // The constructor's message, told which group it is about.
        const message = error instanceof Error ? error.message : String(error);
        const prefix = `${this.name}: `;
        throw new Error(
          `${where}: saved param group ${g}: ${message.startsWith(prefix) ? message.slice(prefix.length) : message}`,
        );
      }
      groupOptions.push(options);
      for (const [i, index] of saved.params.entries()) byIndex.set(index, group.params[i] as Tensor);
    }
    const restored = new Map<Tensor, ParamState>();
    for (const [key, saved] of Object.entries(dict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) {
        throw new Error(`${where}: state for parameter ${key}, which no param group lists`);
      }
      if (saved === null || typeof saved !== 'object') {
        throw new Error(`${where}: the state of parameter ${key} is ${String(saved)}, not { step, ...buffers }`);
      }
      const step = saved.step ?? 0;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
        throw new Error(
          `${where}: parameter ${key} has step ${JSON.stringify(step)}; a step count must be an integer >= 0`,
        );
      }
      const entry: ParamState = { step, buffers: {} };
      for (const [name, value] of Object.entries(saved)) {
        if (name === 'step') continue;
        if (this.bufferNames !== undefined && !this.bufferNames.includes(name)) {
          throw new Error(
            `${where}: parameter ${key} has unknown state '${name}'; ${this.name} keeps step${this.bufferNames.map((b) => `, ${b}`).join('')}`,
          );
        }
        if (!Array.isArray(value) || value.length !== p.size) {
          throw new Error(
            `${where}: buffer '${name}' of parameter ${key} has ${Array.isArray(value) ? value.length : 'no'} elements but the parameter has ${p.size} (shape ${formatShape(p.shape)})`,
          );
        }
        const bad = value.findIndex((v) => typeof v !== 'number');
        if (bad >= 0) {
          throw new Error(
            `${where}: buffer '${name}' of parameter ${key} holds ${JSON.stringify(value[bad])} at index ${bad}, not a number (JSON.stringify turns NaN and Infinity into null); save state that is finite, or restart the optimizer`,
          );
        }
        const buffer = getBackend().allocate(p.dtype, p.size);
        buffer.set(value);
        entry.buffers[name] = buffer;
      }
      restored.set(p, entry);
    }
    for (const [g, options] of groupOptions.entries()) Object.assign(this.paramGroups[g] as ParamGroup<O>, options);
    this.state.clear();
    for (const [p, entry] of restored) this.state.set(p, entry);
  }
}

/** A copy of a group's options with array values (betas) copied too. */
function copyOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) out[key] = Array.isArray(value) ? [...value] : value;
  return out;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/** A short description of a value for error messages. */
function describe(value: unknown): string {
  if (isTensor(value)) return `a Tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return value === null ? 'null' : typeof value;
}
