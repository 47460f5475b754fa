import { ones, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { loadGraphviz, toDot, toGraphJson, toMermaid, toSvg, toSvgSync } from '../src/index';

function quickStart() {
  const x = tensor([2], { requiresGrad: true });
  const y = tensor([3], { requiresGrad: true });
  const z = x.mul(y).add(x.pow(2));
  return { x, y, z };
}

describe('toGraphJson', () => {
  it('has one node per tensor and one edge per op input', () => {
    const { z } = quickStart();
    const g = toGraphJson(z);
    expect(g.nodes.map((n) => n.op ?? n.kind).sort()).toEqual(['add', 'leaf', 'leaf', 'mul', 'pow']);
    expect(g.edges).toHaveLength(5); // x feeds both mul and pow
    expect(g.nodes[0]?.isOutput).toBe(true);
    expect(g.omitted).toBe(0);
  });

  it('reports gradient norms of leaves after backward and of retained non-leaves', () => {
    const x = tensor([3, 4], { requiresGrad: true });
    const h = x.mul(2);
    h.retainGrad();
    const loss = h.sum();
    expect(toGraphJson(loss).nodes.every((n) => n.gradNorm === null)).toBe(true);
    loss.backward();
    const nodes = toGraphJson(loss).nodes;
    expect(nodes.find((n) => n.kind === 'leaf')?.gradNorm).toBeCloseTo(Math.sqrt(8), 6);
    expect(nodes.find((n) => n.op === 'mul')?.gradNorm).toBeCloseTo(Math.sqrt(2), 6);
  });

  it('names parameters from the params option and from t.name', () => {
    const w = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor([0.5], { requiresGrad: true });
    b.name = 'bias';
    const out = w
      .matmul(ones([2, 1]))
      .add(b)
      .sum();
    const nodes = toGraphJson(out, { params: { weight: w } }).nodes;
    expect(
      nodes
        .filter((n) => n.kind === 'parameter')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['bias', 'weight']);
    expect(
      toGraphJson(out, { params: { namedParameters: () => [['fc.weight', w] as const] } }).nodes.some(
        (n) => n.name === 'fc.weight',
      ),
    ).toBe(true);
  });

  it('caps large graphs with a note node that counts the omitted nodes', () => {
    let t: Tensor = tensor(1, { requiresGrad: true });
    for (let i = 0; i < 500; i++) t = t.mul(1.001);
    const g = toGraphJson(t, { maxNodes: 50 });
    expect(g.nodes).toHaveLength(51);
    // The whole graph: 1 leaf + 500 mul nodes + 500 constants (each 1.001 is its own tensor) = 1001 nodes;
    // 50 are kept, so 951 are omitted.
    expect(toGraphJson(t, { maxNodes: 100_000 }).nodes).toHaveLength(1001);
    expect(g.omitted).toBe(951);
    const note = g.nodes.find((n) => n.kind === 'note');
    expect(note?.omitted).toBe(g.omitted);
    expect(toDot(t, { maxNodes: 50 })).toContain(`… ${g.omitted} more nodes omitted`);
  });

  it('walks a 20,000-op chain without overflowing the stack', () => {
    let t: Tensor = tensor(1, { requiresGrad: true });
    for (let i = 0; i < 20_000; i++) t = t.neg();
    expect(toGraphJson(t, { maxNodes: 10 }).omitted).toBe(20_001 - 10);
  });
});

describe('toDot and toMermaid', () => {
  it('labels nodes with op, shape and dtype', () => {
    const { z } = quickStart();
    const dot = toDot(z);
    expect(dot).toMatch(/^digraph optimgrad \{/);
    expect(dot).toContain('label="mul\\n[1] float32"');
    expect(toDot(tensor([1], { requiresGrad: true }).mul(2.5))).toContain('label="constant 2.5\\n[] float32"');
    expect(dot.match(/->/g)).toHaveLength(5);
    const mermaid = toMermaid(z);
    expect(mermaid).toMatch(/^flowchart BT/);
    expect(mermaid).toContain('pow<br/>[1] float32');
    expect(mermaid.match(/-->/g)).toHaveLength(5);
  });
});

describe('toSvg', () => {
  it('returns a self-contained SVG that contains the node labels', async () => {
    const { z } = quickStart();
    z.backward();
    const svg = await toSvg(z);
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    for (const label of ['add', 'mul', 'pow', '[1] float32', 'grad norm 7']) expect(svg).toContain(label);
    expect(svg).not.toMatch(/<image|xlink:href="http/);
  });

  it('renders synchronously after loadGraphviz()', async () => {
    const { z } = quickStart();
    await loadGraphviz();
    expect(toSvgSync(z)).toBe(await toSvg(z));
  });
});

describe('toSvg on deep graphs where one tensor feeds many ops', () => {
  /** Residual blocks h = h + x * tanh(h / 2): x feeds every block, about 5 nodes per block. */
  function residual(blocks: number): Tensor {
    const x = tensor([1, 2, 3], { requiresGrad: true, name: 'x' });
    let h = x;
    for (let i = 0; i < blocks; i++) h = h.add(h.mul(0.5).tanh().mul(x));
    return h.sum();
  }

  it('caps the layout of a 197-node graph and says so in the picture', async () => {
    const out = residual(39);
    expect(toGraphJson(out).nodes.length).toBe(197);
    const svg = await toSvg(out);
    expect(svg).toContain('<svg');
    expect(svg).toContain('Large graph (197 nodes): laid out with capped Graphviz effort');
    expect(svg).toContain('drawn again, dashed, beside each further use');
    // The plain DOT text is unchanged: one x node, and no caption.
    expect(toDot(out).match(/label="x\\n/g)).toHaveLength(1);
    expect(toDot(out)).not.toContain('Large graph');
  });

  it('finishes a 450-node graph', async () => {
    const out = residual(90);
    const svg = await toSvg(out, { maxNodes: 1000 });
    expect(svg).toContain('Large graph (452 nodes)');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('leaves small graphs to the full layout, without a caption', async () => {
    expect(await toSvg(residual(3))).not.toContain('Large graph');
  });
});
