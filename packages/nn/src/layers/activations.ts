/**
 * @file Activation layers: thin `Module` wrappers of the functional activations, so they can sit in
 * a `Sequential` and carry forward hooks (e.g. dead-ReLU statistics).
 */
import type { Tensor } from '@optimgrad/core';
import { type GeluOptions, gelu, leakyRelu } from '../functional/activations';
import { Module } from '../module';

/**
 * max(0, x) as a layer.
 * @example new Sequential(new Linear(2, 4), new ReLU());
 */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/**
 * Leaky ReLU as a layer.
 * @example new LeakyReLU(0.2);
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }

  override forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/**
 * Sigmoid as a layer.
 * @example new Sigmoid().call(tensor([0])); // [0.5]
 */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/**
 * tanh as a layer.
 * @example new Tanh();
 */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/**
 * GELU as a layer (`{ approximate: 'tanh' }` for the tanh form).
 * @example new GELU({ approximate: 'tanh' });
 */
export class GELU extends Module {
  constructor(readonly options: GeluOptions = {}) {
    super();
  }
  override extraRepr(): string {
    return `approximate='${this.options.approximate ?? 'none'}'`;
  }

  override forward(x: Tensor): Tensor {
    return gelu(x, this.options);
  }
}

/**
 * SiLU (x·sigmoid(x)) as a layer.
 * @example new SiLU();
 */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.mul(x.sigmoid());
  }
}

/**
 * Softmax along `dim` as a layer.
 * @example new Softmax(-1);
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`Softmax: dim must be an integer, got ${dim}`);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  override forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
}
