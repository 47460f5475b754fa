import { ones, type Tensor, tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../src/layers/activations';
import { Dropout } from '../src/layers/dropout';
import { Identity } from '../src/layers/identity';
import { Linear } from '../src/layers/linear';
import { ModuleList } from '../src/layers/module-list';
import { Sequential } from '../src/layers/sequential';
import { Module } from '../src/module';

class Affine extends Module {
  constructor(n: number) {
    super();
    this.registerParameter('weight', ones([n]));
    this.registerParameter('bias', zeros([n]));
    this.registerBuffer('running_mean', zeros([n]));
  }
  override forward(x: Tensor): Tensor {
    return x.mul(this.getParameter('weight')).add(this.getParameter('bias'));
  }
}

class Net extends Module {
  constructor() {
    super();
    this.registerModule('first', new Affine(2));
    this.registerModule('second', new Affine(2));
  }
  override forward(x: Tensor): Tensor {
    return this.getModule('second').call(this.getModule('first').call(x));
  }
}

describe('Module', () => {
  it('names parameters and buffers with qualified PyTorch-style keys', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'first.weight',
      'first.bias',
      'second.weight',
      'second.bias',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['first.running_mean', 'second.running_mean']);
    expect(Object.keys(net.stateDict())).toEqual([
      'first.weight',
      'first.bias',
      'first.running_mean',
      'second.weight',
      'second.bias',
      'second.running_mean',
    ]);
    expect(net.getModule('second').getParameter('bias').name).toBe('second.bias');
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it('runs forward hooks through call and removes them with the handle', () => {
    const net = new Net();
    const seen: number[][] = [];
    const handle = net.getModule('first').registerForwardHook((_m, _inputs, out) => {
      seen.push([...out.data]);
    });
    net.call(tensor([1, 2]));
    handle.remove();
    net.call(tensor([1, 2]));
    expect(seen).toEqual([[1, 2]]);
  });

  it('lets a forward hook replace the output', () => {
    const layer = new Affine(2);
    layer.registerForwardHook((_m, _inputs, out) => out.mul(10));
    expect([...layer.call(tensor([1, 2])).data]).toEqual([10, 20]);
  });

  it('switches training mode on every descendant', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().map((m) => m.training)).toEqual([false, false, false]);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  it('loads a state dict in place so existing references see the new values', () => {
    const net = new Net();
    const w = net.getModule('first').getParameter('weight');
    const dict = net.stateDict();
    const next: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(dict)) next[k] = v.add(3);
    net.loadStateDict(next);
    expect([...w.data]).toEqual([4, 4]);
    expect([...net.getModule('second').getBuffer('running_mean').data]).toEqual([3, 3]);
  });

  it('names every missing, unexpected and wrongly shaped key when loading fails', () => {
    const net = new Net();
    const dict = net.stateDict();
    delete dict['first.bias'];
    dict['first.weight'] = zeros([3]);
    dict['third.weight'] = zeros([2]);
    expect(() => net.loadStateDict(dict)).toThrow(
      /missing keys: 'first.bias'.*unexpected keys: 'third.weight'.*wrong shapes: 'first.weight': expected \[2\], got \[3\]/,
    );
  });

  it('names a state-dict value that is not a Tensor, such as plain arrays from JSON', () => {
    const net = new Net();
    const dict: Record<string, unknown> = { ...net.stateDict(), 'first.weight': [1, 2] };
    expect(() => net.loadStateDict(dict as Record<string, Tensor>)).toThrow(
      /wrong shapes: 'first.weight': expected a Tensor of shape \[2\], got an array/,
    );
  });

  it('treats every state-dict key as data: Object members are unexpected keys, not loaded or ignored', () => {
    const net = new Net();
    const hostile: Record<string, Tensor> = JSON.parse('{"__proto__": 1}');
    for (const [key, value] of Object.entries(net.stateDict())) hostile[key] = value;
    Object.defineProperty(hostile, 'constructor', { value: zeros([1]), enumerable: true });
    Object.defineProperty(hostile, 'toString', { value: zeros([1]), enumerable: true });
    expect(() => net.loadStateDict(hostile)).toThrow(/unexpected keys: '__proto__', 'constructor', 'toString'/);
    const lenient = net.loadStateDict(hostile, { strict: false });
    expect(lenient.unexpectedKeys).toEqual(['__proto__', 'constructor', 'toString']);
    expect(lenient.missingKeys).toEqual([]);
  });

  it('saves and loads parameters named like Object members', () => {
    class Odd extends Module {
      constructor() {
        super();
        this.registerParameter('constructor', zeros([2]));
        this.registerParameter('toString', zeros([1]));
        this.registerParameter('__proto__', zeros([3]));
      }
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    const odd = new Odd();
    const dict = odd.stateDict();
    expect(Object.keys(dict)).toEqual(['constructor', 'toString', '__proto__']);
    expect(Object.getPrototypeOf(dict)).toBe(Object.prototype);
    const next: Record<string, Tensor> = {};
    for (const [key, value] of Object.entries(dict))
      Object.defineProperty(next, key, { value: value.add(1), enumerable: true });
    odd.loadStateDict(next);
    expect([...odd.getParameter('__proto__').data]).toEqual([1, 1, 1]);
    expect([...odd.getParameter('constructor').data]).toEqual([1, 1]);
    expect(() => odd.loadStateDict({})).toThrow(/missing keys: 'constructor', 'toString', '__proto__'/);
  });

  it('skips missing and unexpected keys when not strict and reports them', () => {
    const net = new Net();
    const result = net.loadStateDict({ 'first.weight': tensor([5, 6]), extra: zeros([1]) }, { strict: false });
    expect(result.unexpectedKeys).toEqual(['extra']);
    expect(result.missingKeys).toHaveLength(5);
    expect([...net.getModule('first').getParameter('weight').data]).toEqual([5, 6]);
  });

  it('sets gradients to null with zeroGrad', () => {
    const net = new Net();
    net
      .call(tensor([1, 2]))
      .sum()
      .backward();
    expect(net.getModule('first').getParameter('weight').grad).not.toBeNull();
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('applies a function to children first and then to itself', () => {
    const net = new Net();
    const order: string[] = [];
    net.apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Affine', 'Affine', 'Net']);
  });

  it('converts parameters and buffers to float64', () => {
    const net = new Net().double();
    expect(net.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(net.buffers().every((b) => b.dtype === 'float64')).toBe(true);
    expect(net.call(tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('rejects cycles in the module tree', () => {
    const outer = new Net();
    const inner = outer.getModule<Affine>('first');
    expect(() => inner.registerModule('loop', outer)).toThrow(/cannot have cycles/);
    expect(() => inner.registerModule('self', inner)).toThrow(/cannot have cycles/);
  });

  it('rejects names with dots and clashing kinds', () => {
    const layer = new Affine(1);
    expect(() => layer.registerParameter('a.b', ones([1]))).toThrow(/contain no '\.'/);
    expect(() => layer.registerBuffer('weight', ones([1]))).toThrow(/already registered/);
  });
});

describe('Module printing and non-persistent buffers', () => {
  it('prints the module tree like PyTorch', () => {
    const model = new Sequential(new Linear(2, 3), new ReLU(), new Sequential(new Dropout(0.1)));
    expect(String(model)).toBe(
      [
        'Sequential(',
        '  (0): Linear(inFeatures=2, outFeatures=3, bias=true)',
        '  (1): ReLU()',
        '  (2): Sequential(',
        '    (0): Dropout(p=0.1)',
        '  )',
        ')',
      ].join('\n'),
    );
  });

  it('keeps non-persistent buffers out of the state dict but lists them as buffers', () => {
    class WithCache extends Module {
      constructor() {
        super();
        this.registerBuffer('cache', zeros([2]), { persistent: false });
        this.registerBuffer('kept', zeros([2]));
      }
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new WithCache();
    expect(Object.keys(m.stateDict())).toEqual(['kept']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['cache', 'kept']);
    expect(() => m.loadStateDict({ kept: zeros([2]) })).not.toThrow();
  });
});

describe('Module utilities', () => {
  it('keeps tied weights tied when converting the dtype', () => {
    class Tied extends Module {
      constructor() {
        super();
        const shared = new Linear(2, 2);
        this.registerModule('a', shared);
        this.registerModule('b', new Linear(2, 2));
        this.getModule('b').registerParameter('tied', shared.weight);
      }
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Tied().double();
    expect(m.getModule('b').getParameter('tied')).toBe(m.getModule('a').getParameter('weight'));
    expect(m.parameters()).toHaveLength(4);
  });

  it('lists a submodule shared under two names under both in the state dict, as PyTorch does', () => {
    // PyTorch: state_dict() of this model has all six keys; named_parameters() only the first two.
    class Shared extends Module {
      constructor() {
        super();
        const layer = new Linear(2, 2);
        this.registerModule('a', layer);
        this.registerModule('b', layer);
        this.registerModule('c', new Sequential(layer));
      }
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Shared();
    expect(Object.keys(m.stateDict())).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias', 'c.0.weight', 'c.0.bias']);
    expect(m.namedParameters().map(([name]) => name)).toEqual(['a.weight', 'a.bias']);
    const source = new Shared();
    const loaded = m.loadStateDict(source.stateDict());
    expect(loaded).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(m.stateDict()['b.weight']?.toArray()).toEqual(source.stateDict()['a.weight']?.toArray());
  });

  it('freezes and unfreezes every parameter with requiresGrad_', () => {
    const net = new Net();
    net.requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
    net.requiresGrad_();
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
});

describe('ModuleList and Identity', () => {
  it('registers list entries with positional PyTorch keys and iterates over them', () => {
    class Stack extends Module {
      readonly blocks = this.registerModule('blocks', new ModuleList([new Linear(2, 2), new Linear(2, 2)]));
      override forward(x: Tensor): Tensor {
        let out = x;
        for (const block of this.blocks) out = block.call(out);
        return out;
      }
    }
    const stack = new Stack();
    stack.blocks.append(new Linear(2, 2));
    expect(Object.keys(stack.stateDict())).toEqual([
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.1.weight',
      'blocks.1.bias',
      'blocks.2.weight',
      'blocks.2.bias',
    ]);
    expect(stack.blocks.length).toBe(3);
    expect(stack.blocks.at(-1)).toBe(stack.blocks.at(2));
    expect(stack.call(tensor([[1, 2]])).shape).toEqual([1, 2]);
    expect(() => stack.blocks.call(tensor([1]))).toThrow(/ModuleList: has no forward/);
  });

  it('Identity returns its input', () => {
    const x = tensor([1, 2]);
    expect(new Identity().call(x)).toBe(x);
  });
});
