/** @file A hand-written stand-in for nn's Module (namedParameters, namedModules, forward hooks), built from core tensors. */
import type { Tensor } from '@optimgrad/core';

type ForwardHook = (module: FakeModule, inputs: Tensor[], output: Tensor) => Tensor | undefined;

export class FakeModule {
  private readonly hooks = new Set<ForwardHook>();

  constructor(
    private readonly fn: (x: Tensor) => Tensor,
    private readonly children: readonly [string, FakeModule][] = [],
    private readonly params: readonly [string, Tensor][] = [],
  ) {}

  namedModules(prefix = ''): [string, FakeModule][] {
    const out: [string, FakeModule][] = [[prefix, this]];
    for (const [name, child] of this.children) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  namedParameters(prefix = ''): [string, Tensor][] {
    const own = this.params.map(([n, p]): [string, Tensor] => [prefix ? `${prefix}.${n}` : n, p]);
    return [
      ...own,
      ...this.children.flatMap(([name, child]) => child.namedParameters(prefix ? `${prefix}.${name}` : name)),
    ];
  }

  registerForwardHook(hook: ForwardHook): { remove(): void } {
    this.hooks.add(hook);
    return { remove: () => this.hooks.delete(hook) };
  }

  forward(x: Tensor): Tensor {
    const out = this.fn(x);
    for (const hook of this.hooks) hook(this, [x], out);
    return out;
  }
}

/** A Linear layer (weight [out, in], bias [out]) as a fake module. */
export function fakeLinear(weight: Tensor, bias: Tensor): FakeModule {
  return new FakeModule(
    (x) => x.matmul(weight.T).add(bias),
    [],
    [
      ['weight', weight],
      ['bias', bias],
    ],
  );
}

/** A Sequential of fake modules named '0', '1', … */
export function fakeSequential(...layers: FakeModule[]): FakeModule {
  const children = layers.map((m, i): [string, FakeModule] => [String(i), m]);
  return new FakeModule((x) => layers.reduce((t, m) => m.forward(t), x), children);
}
