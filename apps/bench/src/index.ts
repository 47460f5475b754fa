/**
 * @file `pnpm bench` for the speed work: optimgrad next to TensorFlow.js (cpu and wasm backends) and jax-js
 * (eager and jit, wasm device) on the workloads W1–W4, plus a 1,000-step memory loop. Prints a Markdown report and,
 * on a full run, writes it to bench/RESULTS.md at the repository root.
 *
 * Options: --only W1,W3 (groups or ids such as W1-256; skips the memory loop unless `mem` is listed),
 * --engines optimgrad,jax-jit, --reps N (at least 5), --steps N (memory loop), --busy (say the machine was busy),
 * --write / --no-write (default: write on a full run only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES, type EngineId, type Row, runWorkload } from './harness';
import { describeMachine } from './machine';
import { type MemoryReport, memoryLoop } from './memory';
import { initPeers } from './peers';
import { agreementTable, machineSection, memoryTable, resultsTable } from './report';
import { describeVariants, useVariant } from './variants';
import { makeWorkload, WORKLOAD_IDS } from './workloads/index';

// `pnpm --filter @optimgrad/bench bench -- --only W1` hands the script a leading `--`, which would end option parsing.
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    only: { type: 'string' },
    engines: { type: 'string' },
    reps: { type: 'string' },
    steps: { type: 'string', default: '1000' },
    busy: { type: 'boolean', default: false },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean', default: false },
  },
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const only = list(args.only)?.map((s) => s.toUpperCase());
const selected = WORKLOAD_IDS.filter(
  (id) => only === undefined || only.some((o) => id === o || id.split('-')[0] === o),
);
const runMemory = only === undefined || only.includes('MEM');
const engineNames = list(args.engines) ?? [...ENGINES];
const unknown = engineNames.filter((e) => !(ENGINES as readonly string[]).includes(e));
if (unknown.length > 0) throw new Error(`unknown engine(s) ${unknown.join(', ')}; known: ${ENGINES.join(', ')}`);
const engines = ENGINES.filter((e: EngineId) => engineNames.includes(e));
if (!engines.includes('optimgrad')) throw new Error('--engines must include optimgrad (the reference of every check)');
const reps = args.reps === undefined ? undefined : Number(args.reps);
const steps = Number(args.steps);
const fullRun = only === undefined && engines.length === ENGINES.length && args.reps === undefined && steps === 1000;
const write = args['no-write'] ? false : (args.write ?? fullRun);

const machine = describeMachine();
const busy = args.busy || machine.loadAverage[0]! >= 0.5 * machine.cores;
const peers = await initPeers();
const started = performance.now();

const rows: Row[] = [];
for (const id of selected) {
  log(`${id}…`);
  rows.push(await runWorkload(makeWorkload(id), { engines, reps, log }));
}
let memory: MemoryReport | null = null;
if (runMemory) {
  log(`memory loop: ${steps} optimgrad W2 steps…`);
  const restore = useVariant('optimgrad-2t');
  memory = memoryLoop(steps, log);
  restore();
}
const loadAtEnd = os.loadavg();
const minutes = (performance.now() - started) / 60_000;

const notes = rows.flatMap((row) => row.workload.notes ?? []);
const report = [
  '# optimgrad benchmark results',
  '',
  `Written by \`pnpm bench\` (apps/bench, see its README for the workloads) on ${machine.date.slice(0, 10)}, in ${minutes.toFixed(1)} min.`,
  busy
    ? `**Measured while the machine was busy** (1-minute load average ${machine.loadAverage[0]?.toFixed(1)} on ${machine.cores} cores at the start, ${loadAtEnd[0]?.toFixed(1)} at the end, shared with other work): the numbers are noisy and only roughly comparable; they are to be re-measured on a quiet machine.`
    : 'Measured on a quiet machine.',
  '',
  '## Results',
  '',
  'Median of warm repetitions (at least 5 per cell), float32. Every peer runs on one thread (none uses a second ' +
    'core in Node). optimgrad runs three ways: the WebAssembly SIMD backend on one thread (`setNumThreads(1)`), the ' +
    'same on two threads (`setNumThreads(2)`), and its plain-TypeScript kernels (the fallback where WebAssembly SIMD is ' +
    'missing). optimgrad’s default in Node is the WebAssembly backend with one thread per core. W1 is in GFLOP/s (higher is better), the others in time (lower is better). "optimgrad / best peer" ' +
    'is optimgrad’s time over the fastest peer’s that agreed with it: above 1, optimgrad is slower. The target ' +
    'column states the goal of each workload as a time ratio against the peer it names, on one (1t) and two (2t) ' +
    'threads.',
  '',
  resultsTable(rows),
  '',
  '## Agreement with optimgrad',
  '',
  'Each engine runs every workload once from the same inputs (and for W2 the same initial weights) before timing; ' +
    'the cells are max|peer − optimgrad| / max|optimgrad| over each checked vector (the worst one shown).',
  '',
  agreementTable(rows),
  '',
  ...(memory === null
    ? []
    : [
        '## Memory: optimgrad, W2 training loop',
        '',
        'On the WebAssembly backend with two threads. Heap and RSS after a forced GC, after the first step and after ' +
          'the last (flat is good).',
        '',
        memoryTable(memory),
        '',
      ]),
  ...(notes.length === 0 ? [] : ['## Notes', '', ...notes.map((n) => `- ${n}`), '']),
  '## Machine',
  '',
  machineSection(machine, peers, loadAtEnd),
  `- optimgrad configurations: ${describeVariants()}`,
  '',
].join('\n');

process.stdout.write(report);
if (write) {
  const path = fileURLToPath(new URL('../../../bench/RESULTS.md', import.meta.url));
  mkdirSync(fileURLToPath(new URL('../../../bench/', import.meta.url)), { recursive: true });
  writeFileSync(path, report);
  log(`wrote ${path}`);
}
