/** @file The Markdown report: results table with ratios to the best peer, agreement checks, memory loop, machine. */
import { ENGINE_LABELS, ENGINES, type EngineId, formatValue, NOT_RUN, PEERS, type Row } from './harness';
import type { Machine } from './machine';
import type { MemoryReport } from './memory';
import type { PeerInfo } from './peers';

function cellText(row: Row, engine: EngineId): string {
  const cell = row.cells[engine];
  if (cell.status === 'fails') return cell.reason === NOT_RUN ? 'not run' : `fails: ${cell.reason}`;
  const value = cell.repeated
    ? formatValue(row.workload, cell.ms)
    : `${formatValue(row.workload, cell.ms)} (1 run: too slow to repeat)`;
  return cell.error !== null && cell.error > row.workload.tolerance ? `${value} ⚠ disagrees` : value;
}

/** The fastest peer that ran and agreed with optimgrad. */
function bestPeer(row: Row): { engine: EngineId; ms: number } | null {
  let best: { engine: EngineId; ms: number } | null = null;
  for (const engine of PEERS) {
    const cell = row.cells[engine];
    if (cell.status !== 'ok' || !cell.repeated || (cell.error !== null && cell.error > row.workload.tolerance))
      continue;
    if (best === null || cell.ms < best.ms) best = { engine, ms: cell.ms };
  }
  return best;
}

function ratio(row: Row, engine: 'optimgrad' | 'optimgrad-2t', against: { ms: number } | null): number | null {
  const ours = row.cells[engine];
  if (ours.status !== 'ok' || !ours.repeated || against === null) return null;
  return ours.ms / against.ms;
}

function ratioText(value: number | null): string {
  if (value === null) return '—';
  return `${value.toFixed(2)}× (${value > 1 ? 'slower' : 'faster'})`;
}

/** The peer a target is stated against, when it ran and agreed. */
function targetPeer(row: Row): { ms: number } | null {
  const target = row.workload.target;
  if (target === undefined) return null;
  const cell = row.cells[target.peer];
  if (cell.status !== 'ok' || !cell.repeated || (cell.error !== null && cell.error > row.workload.tolerance))
    return null;
  return { ms: cell.ms };
}

function targetText(row: Row): string {
  const target = row.workload.target;
  if (target === undefined) return '—';
  const peer = targetPeer(row);
  const parts = (['optimgrad', 'optimgrad-2t'] as const).map((engine, i) => {
    const goal = i === 0 ? target.oneThread : target.twoThreads;
    const value = ratio(row, engine, peer);
    const verdict = value === null ? '?' : value <= goal ? '✓' : '✗';
    return `${i + 1}t ${value === null ? '—' : `${value.toFixed(2)}×`} ≤ ${goal.toFixed(2)} ${verdict}`;
  });
  return `vs ${ENGINE_LABELS[target.peer]}: ${parts.join(', ')}`;
}

export function resultsTable(rows: readonly Row[]): string {
  const header = [
    'workload',
    'unit',
    ...ENGINES.map((e) => ENGINE_LABELS[e]),
    'best peer',
    'optimgrad / best peer',
    '2 threads / best peer',
    'target (time ratio)',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) {
    const best = bestPeer(row);
    const cells = [
      `${row.workload.group} ${row.workload.name}`,
      row.workload.unit,
      ...ENGINES.map((e) => cellText(row, e)),
      best === null ? '—' : ENGINE_LABELS[best.engine],
      ratioText(ratio(row, 'optimgrad', best)),
      ratioText(ratio(row, 'optimgrad-2t', best)),
      targetText(row),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function agreementTable(rows: readonly Row[]): string {
  const others = ENGINES.filter((e) => e !== 'optimgrad');
  const header = ['workload', 'checked', 'tolerance', ...others.map((e) => ENGINE_LABELS[e])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const checked = Object.keys(row.agreement[PEERS.find((e) => row.agreement[e] !== undefined) ?? 'tfjs-cpu'] ?? {});
    const cells = others.map((engine) => {
      const errors = row.agreement[engine];
      if (errors === undefined) return '—';
      const worst = Math.max(...Object.values(errors));
      return `${worst.toExponential(1)} ${worst <= row.workload.tolerance ? '✓' : '✗'}`;
    });
    lines.push(
      `| ${row.workload.group} ${row.workload.name} | ${checked.join(', ') || '—'} | ${row.workload.tolerance.toExponential(0)} | ${cells.join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function memoryTable(memory: MemoryReport): string {
  const f = (x: number) => x.toFixed(1);
  return [
    '| steps | heap start (MB) | heap end (MB) | RSS start (MB) | RSS end (MB) | mean ms/step | loss first → last |',
    '|---:|---:|---:|---:|---:|---:|---|',
    `| ${memory.steps} | ${f(memory.heapStartMb)} | ${f(memory.heapEndMb)} | ${f(memory.rssStartMb)} | ${f(memory.rssEndMb)} | ${f(memory.msPerStep)} | ${memory.firstLoss.toFixed(4)} → ${memory.lastLoss.toFixed(4)} |`,
  ].join('\n');
}

export function machineSection(machine: Machine, peers: PeerInfo, loadAtEnd: readonly number[]): string {
  const flag = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  return [
    `- Date: ${machine.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores available to Node`,
    `- SIMD flags (lscpu): sse4_1 ${flag(machine.simdFlags.sse4_1)}, avx2 ${flag(machine.simdFlags.avx2)}, avx512f ${flag(machine.simdFlags.avx512f)}; WebAssembly SIMD in this V8: ${machine.wasmSimd ? 'yes' : 'no'}`,
    `- Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}`,
    `- Load average (1 / 5 / 15 min): ${load(machine.loadAverage)} at the start, ${load(loadAtEnd)} at the end`,
    `- Peers: ${Object.entries(machine.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    `- TensorFlow.js wasm backend: the ${peers.tfWasmBinary} binary from the package folder, ${peers.tfWasmThreads} thread (tfjs never uses threads in Node); prod mode on`,
    `- jax-js device: ${peers.jaxDevice} (Node has no WebGPU/WebGL; its wasm device runs on one thread here, since Node has no Web Worker)`,
  ].join('\n');
}
