/**
 * @file `Module`, the base class of every layer, as in `torch.nn.Module`: parameters, buffers and
 * submodules registered by name, so `stateDict()` keys are PyTorch's (`'0.weight'`,
 * `'bn.running_mean'`) and weights move between the two unchanged.
 *
 * The registries (`registerParameter`, `registerBuffer`, `registerModule`) are the source of
 * truth; layers expose their tensors through getters that read them, so `loadStateDict` and
 * `to(dtype)` never leave a stale field behind. `forward()` is the computation; `call()` runs it
 * with the forward pre-hooks and hooks (like PyTorch's `module(x)`), and containers such as
 * `Sequential` invoke their children through `call()`.
 */
import { type DType, formatShape, isTensor, noGrad, type RemovableHandle, type Tensor } from '@optimgrad/core';

/** Runs before `forward` inside `call()`; may return replacement inputs. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook written as a statement block returns void
export type ForwardPreHook = (module: Module, inputs: Tensor[]) => Tensor[] | undefined | void;

/** Runs after `forward` inside `call()`; may return a replacement output. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook written as a statement block returns void
export type ForwardHook = (module: Module, inputs: Tensor[], output: Tensor) => Tensor | undefined | void;

/**
 * Options of `loadStateDict`.
 * @example model.loadStateDict(dict, { strict: false });
 */
export interface LoadStateDictOptions {
  /** Throw on missing or unexpected keys (default `true`); shape mismatches always throw. */
  readonly strict?: boolean;
}

/**
 * What `loadStateDict` skipped (only non-empty with `strict: false`).
 * @example const { missingKeys } = model.loadStateDict(dict, { strict: false });
 */
export interface LoadStateDictResult {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
}

const VALID_NAME = /^[^.]+$/;

/**
 * Base class of layers: subclass it, register tensors and children, implement `forward`.
 * @example class Scale extends Module { constructor() { super(); this.registerParameter('s', ones([1])); } forward(x: Tensor) { return x.mul(this.getParameter('s')); } }
 */
export abstract class Module {
  /** `true` in training mode (dropout active, batch norm uses batch statistics). */
  training = true;
  private readonly parameterMap = new Map<string, Tensor | null>();
  private readonly bufferMap = new Map<string, Tensor | null>();
  private readonly moduleMap = new Map<string, Module>();
  /** Buffers registered with `{ persistent: false }`: kept out of `stateDict()`. */
  private readonly nonPersistent = new Set<string>();
  private readonly preHooks = new Map<number, ForwardPreHook>();
  private readonly hooks = new Map<number, ForwardHook>();
  private nextHookId = 0;
  /** Qualified-name prefix of this module in the tree it was last registered into (`'0.'`, `'encoder.fc.'`). */
  private namePrefix = '';

  /** The computation of this module. Call it through `call()` to run the forward hooks too. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * Runs the forward pre-hooks, `forward`, then the forward hooks (PyTorch's `module(x)`).
   * @example const y = new Linear(3, 2).call(x);
   */
  call(...inputs: Parameters<this['forward']>): Tensor {
    let args: Tensor[] = inputs;
    for (const hook of [...this.preHooks.values()]) args = hook(this, args) ?? args;
    let output = this.forward(...args);
    for (const hook of [...this.hooks.values()]) output = hook(this, args, output) ?? output;
    return output;
  }

  /**
   * Registers `hook(module, inputs, output)` to run after every `call()`; returns a handle to remove it.
   * @example const handle = layer.registerForwardHook((m, inputs, out) => { seen.push(out); }); handle.remove();
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const id = this.nextHookId++;
    this.hooks.set(id, hook);
    return { remove: () => void this.hooks.delete(id) };
  }

  /**
   * Registers `hook(module, inputs)` to run before every `forward` inside `call()`.
   * @example layer.registerForwardPreHook((m, inputs) => { console.log(inputs[0].shape); });
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const id = this.nextHookId++;
    this.preHooks.set(id, hook);
    return { remove: () => void this.preHooks.delete(id) };
  }

  // ---- registration ----------------------------------------------------------------------------

  /**
   * Registers a trainable tensor under `name` (a leaf; `requiresGrad` is switched on) and returns it.
   * `null` declares an absent optional parameter (a Linear without bias).
   * @example this.registerParameter('weight', zeros([out, inp]));
   */
  registerParameter<T extends Tensor | null>(name: string, parameter: T): T {
    this.checkName('registerParameter', name, this.parameterMap);
    if (parameter !== null) {
      if (!parameter.isLeaf) {
        throw new Error(
          `registerParameter: '${name}' must be a leaf tensor, but it was computed by '${parameter.gradFn?.name}'; register t.detach() instead`,
        );
      }
      parameter.requiresGrad = true;
      parameter.name = this.namePrefix + name;
    }
    this.parameterMap.set(name, parameter);
    return parameter;
  }

  /**
   * Registers a state tensor that is not trained (e.g. `'running_mean'`); it is saved in `stateDict()`
   * unless `persistent` is `false`.
   * @example this.registerBuffer('running_mean', zeros([n]));
   */
  registerBuffer<T extends Tensor | null>(name: string, buffer: T, options: { persistent?: boolean } = {}): T {
    this.checkName('registerBuffer', name, this.bufferMap);
    if (buffer !== null) buffer.name = this.namePrefix + name;
    this.bufferMap.set(name, buffer);
    if (options.persistent === false) this.nonPersistent.add(name);
    else this.nonPersistent.delete(name);
    return buffer;
  }

  /**
   * Registers a child module under `name`; its parameters appear as `'<name>.<param>'`.
   * @example this.registerModule('fc', new Linear(4, 2));
   */
  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName('registerModule', name, this.moduleMap);
    if (module.modules().includes(this)) {
      throw new Error(`registerModule: '${name}' contains this module, and a module tree cannot have cycles`);
    }
    this.moduleMap.set(name, module);
    module.assignPrefix(`${this.namePrefix}${name}.`);
    return module;
  }

  /**
   * The parameter registered as `name` (throws when it is absent or `null`).
   * @example const w = linear.getParameter('weight');
   */
  getParameter(name: string): Tensor {
    const parameter = this.parameterMap.get(name);
    if (parameter == null) {
      throw new Error(
        `getParameter: ${this.constructor.name} has no parameter '${name}'; it has [${[...this.parameterMap.keys()].join(', ')}]`,
      );
    }
    return parameter;
  }

  /**
   * The parameter registered as `name`, or `null` when it was registered as `null`.
   * @example const b = linear.getOptionalParameter('bias');
   */
  getOptionalParameter(name: string): Tensor | null {
    if (!this.parameterMap.has(name)) this.getParameter(name);
    return this.parameterMap.get(name) ?? null;
  }

  /**
   * The buffer registered as `name` (throws when it is absent or `null`).
   * @example const mean = bn.getBuffer('running_mean');
   */
  getBuffer(name: string): Tensor {
    const buffer = this.bufferMap.get(name);
    if (buffer == null) {
      throw new Error(
        `getBuffer: ${this.constructor.name} has no buffer '${name}'; it has [${[...this.bufferMap.keys()].join(', ')}]`,
      );
    }
    return buffer;
  }

  /**
   * The child module registered as `name` (the type argument is an unchecked cast, for convenience).
   * @example const fc = model.getModule<Linear>('fc');
   */
  getModule<M extends Module = Module>(name: string): M {
    const module = this.moduleMap.get(name) as M | undefined;
    if (module === undefined) {
      throw new Error(
        `getModule: ${this.constructor.name} has no child '${name}'; it has [${[...this.moduleMap.keys()].join(', ')}]`,
      );
    }
    return module;
  }

  private checkName(op: string, name: string, own: Map<string, unknown>): void {
    if (!VALID_NAME.test(name)) {
      throw new Error(`${op}: name '${name}' must be non-empty and contain no '.'; use a child module for nesting`);
    }
    for (const map of [this.parameterMap, this.bufferMap, this.moduleMap] as Map<string, unknown>[]) {
      if (map !== own && map.has(name)) {
        throw new Error(`${op}: '${name}' is already registered as another kind of attribute; pick another name`);
      }
    }
  }

  private assignPrefix(prefix: string): void {
    this.namePrefix = prefix;
    for (const [name, t] of this.parameterMap) if (t !== null) t.name = prefix + name;
    for (const [name, t] of this.bufferMap) if (t !== null) t.name = prefix + name;
    for (const [name, child] of this.moduleMap) child.assignPrefix(`${prefix}${name}.`);
  }

  // ---- traversal -------------------------------------------------------------------------------

  /**
   * Every `[qualifiedName, module]` in the tree, this module first as `''` (each module once).
   * @example for (const [name, m] of model.namedModules()) console.log(name, m.constructor.name);
   */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (module: Module, name: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [childName, child] of module.moduleMap) visit(child, name === '' ? childName : `${name}.${childName}`);
    };
    visit(this, prefix);
    return out;
  }

  /**
   * Every module in the tree, this one first.
   * @example model.modules().length;
   */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The direct children as `[name, module]`.
   * @example model.namedChildren().map(([name]) => name);
   */
  namedChildren(): [string, Module][] {
    return [...this.moduleMap];
  }

  /**
   * The direct children.
   * @example new Sequential(new Linear(2, 2), new ReLU()).children().length; // 2
   */
  children(): Module[] {
    return [...this.moduleMap.values()];
  }

  /**
   * Every parameter as `[qualifiedName, tensor]` (`'0.weight'`), each tensor once.
   * @example Object.fromEntries(model.namedParameters());
   */
  namedParameters(): [string, Tensor][] {
    return this.collect((m) => m.parameterMap);
  }

  /**
   * Every parameter, for an optimizer.
   * @example new SGD(model.parameters(), { lr: 0.1 });
   */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /**
   * Every buffer as `[qualifiedName, tensor]` (`'bn.running_mean'`).
   * @example model.namedBuffers().map(([name]) => name);
   */
  namedBuffers(): [string, Tensor][] {
    return this.collect((m) => m.bufferMap);
  }

  /**
   * Every buffer.
   * @example model.buffers().length;
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  private collect(pick: (m: Module) => Map<string, Tensor | null>): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, t] of pick(module)) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  // ---- modes and utilities ---------------------------------------------------------------------

  /**
   * Sets training mode (`mode = true`) or evaluation mode on this module and every descendant.
   * @example model.train();
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)`.
   * @example model.eval();
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Switches `requiresGrad` on every parameter (freeze a model with `requiresGrad_(false)`).
   * @example model.getModule('0').requiresGrad_(false);
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Sets the gradient of every parameter to `null` (PyTorch's default `set_to_none=True`).
   * @example model.zeroGrad();
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Calls `fn` on every descendant and then on this module (as `nn.Module.apply`, children first).
   * @example model.apply((m) => { if (m instanceof Linear) init.zeros_(m.bias!); });
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.moduleMap.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Converts every parameter and buffer to `dtype` (PyTorch's `module.double()`); gradients are dropped.
   * Unlike PyTorch, the converted tensors are new objects: build optimizers (and keep references to
   * parameters) after converting, not before.
   * @example const model64 = new Linear(3, 2).to('float64');
   */
  to(dtype: DType): this {
    // One converted tensor per original, so tied weights stay tied.
    const converted = new Map<Tensor, Tensor>();
    const convert = (t: Tensor): Tensor => {
      let out = converted.get(t);
      if (out === undefined) {
        out = noGrad(() => t.to(dtype)).detach();
        out.requiresGrad = t.requiresGrad;
        out.name = t.name;
        converted.set(t, out);
      }
      return out;
    };
    for (const module of this.modules()) {
      for (const map of [module.parameterMap, module.bufferMap]) {
        for (const [name, t] of map) if (t !== null && t.dtype !== dtype) map.set(name, convert(t));
      }
    }
    return this;
  }

  /**
   * Converts parameters and buffers to float64.
   * @example new Linear(3, 2).double();
   */
  double(): this {
    return this.to('float64');
  }

  /**
   * Converts parameters and buffers to float32.
   * @example new Linear(3, 2).float();
   */
  float(): this {
    return this.to('float32');
  }

  // ---- state dict ------------------------------------------------------------------------------

  /**
   * Parameters and buffers by PyTorch's qualified names, detached (they share storage with the module).
   * @example Object.keys(new Sequential(new Linear(2, 3)).stateDict()); // ['0.weight', '0.bias']
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    // Every path through the tree, as PyTorch's state_dict: a submodule registered under two names
    // (a shared layer) appears under both, so a PyTorch state dict of the same model loads strictly.
    const visit = (module: Module, prefix: string): void => {
      for (const [name, t] of module.parameterMap) if (t !== null) setOwn(out, prefix + name, t.detach());
      for (const [name, t] of module.bufferMap) {
        if (t !== null && !module.nonPersistent.has(name)) setOwn(out, prefix + name, t.detach());
      }
      for (const [name, child] of module.moduleMap) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies `dict` values into the parameters and buffers in place. Throws naming every missing,
   * unexpected (when `strict`, the default) and wrongly shaped key.
   * @example model.loadStateDict(other.stateDict());
   */
  loadStateDict(dict: Readonly<Record<string, Tensor>>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    // Every key is data: only own properties count, so '__proto__', 'constructor' or 'toString' in `dict` are
    // unexpected keys, and a parameter named like an Object member is missing unless `dict` really has it.
    const own = new Map(Object.entries(this.stateDict()));
    const given = (key: string): unknown => (Object.hasOwn(dict, key) ? dict[key] : undefined);
    const missingKeys = [...own.keys()].filter((key) => given(key) === undefined);
    const unexpectedKeys = Object.keys(dict).filter((key) => !own.has(key));
    const wrongShapes: string[] = [];
    for (const [key, target] of own) {
      const source = given(key);
      if (source === undefined) continue;
      if (!isTensor(source)) {
        const got = source === null ? 'null' : Array.isArray(source) ? 'an array' : typeof source;
        wrongShapes.push(`'${key}': expected a Tensor of shape ${formatShape(target.shape)}, got ${got}`);
        continue;
      }
      if (source.shape.length !== target.shape.length || source.shape.some((n, i) => n !== target.shape[i])) {
        wrongShapes.push(`'${key}': expected ${formatShape(target.shape)}, got ${formatShape(source.shape)}`);
      }
    }
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
    if (strict && unexpectedKeys.length > 0) {
      problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    }
    if (wrongShapes.length > 0) problems.push(`wrong shapes: ${wrongShapes.join('; ')}`);
    if (problems.length > 0) {
      throw new Error(
        `loadStateDict: cannot load into ${this.constructor.name}: ${problems.join('. ')}. Build the same architecture, or pass { strict: false } to skip missing/unexpected keys`,
      );
    }
    noGrad(() => {
      for (const [key, target] of own) {
        const source = given(key);
        if (isTensor(source)) target.copy_(source);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing --------------------------------------------------------------------------------

  /**
   * The settings shown between the parentheses of `toString()`; layers override it.
   * @example class Scale extends Module { override extraRepr() { return 'factor=2'; } }
   */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree, printed like PyTorch's `print(model)`.
   * @example console.log(String(new Sequential(new Linear(2, 3), new ReLU())));
   */
  toString(): string {
    const name = this.constructor.name;
    const extra = this.extraRepr();
    if (this.moduleMap.size === 0) return `${name}(${extra})`;
    const lines = extra === '' ? [] : extra.split('\n').map((line) => `  ${line}`);
    for (const [childName, child] of this.moduleMap) {
      lines.push(`  (${childName}): ${String(child).split('\n').join('\n  ')}`);
    }
    return `${name}(\n${lines.join('\n')}\n)`;
  }
}

/** `record[key] = value` as an own data property, even for a key such as '__proto__' (which `=` would not store). */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
