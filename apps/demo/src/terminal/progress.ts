/**
 * @file Training progress: a live bar (epoch, batch, loss, samples/s, ETA) when the output is a
 * terminal, plain lines when it is a pipe or a file (so logs and CI stay readable), nothing when quiet.
 */
import { SingleBar } from 'cli-progress';

/** What the training loop reports after each batch. */
export interface BatchReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  /** Samples processed per second since training started. */
  readonly samplesPerSecond: number;
  /** Estimated seconds left. */
  readonly etaSeconds: number;
}

/** Receives training progress; `log` prints a line without breaking a live bar. */
export interface Progress {
  start(totalSteps: number): void;
  batch(report: BatchReport): void;
  log(line: string): void;
  stop(): void;
}

/**
 * Formats seconds as `41s` or `2m05s`.
 * @example formatDuration(125); // '2m05s'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

function describe(report: BatchReport): string {
  return (
    `epoch ${report.epoch}/${report.epochs} batch ${report.batch}/${report.batches} ` +
    `loss ${report.loss.toFixed(4)} ${Math.round(report.samplesPerSecond)} samples/s ETA ${formatDuration(report.etaSeconds)}`
  );
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private step = 0;
  private payload: Record<string, string | number> = {
    epoch: '-',
    batchText: '-',
    loss: '-',
    rate: '-',
    etaText: '?',
  };

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new SingleBar({
      stream,
      format: 'epoch {epoch} [{bar}] batch {batchText} | loss {loss} | {rate} samples/s | ETA {etaText}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    });
  }

  start(totalSteps: number): void {
    this.bar.start(totalSteps, 0, this.payload);
  }

  batch(report: BatchReport): void {
    this.step++;
    this.payload = {
      epoch: `${report.epoch}/${report.epochs}`,
      batchText: `${report.batch}/${report.batches}`,
      loss: report.loss.toFixed(4),
      rate: Math.round(report.samplesPerSecond),
      etaText: formatDuration(report.etaSeconds),
    };
    this.bar.update(this.step, this.payload);
  }

  log(line: string): void {
    this.bar.stop();
    process.stdout.write(`${line}\n`);
    this.bar.start(this.bar.getTotal(), this.step, this.payload);
  }

  stop(): void {
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private lastPrint = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly everySeconds: number,
  ) {}

  start(): void {
    this.lastPrint = Date.now();
  }

  batch(report: BatchReport): void {
    const now = Date.now();
    const epochDone = report.batch === report.batches;
    if (epochDone || now - this.lastPrint >= this.everySeconds * 1000) {
      this.lastPrint = now;
      this.write(describe(report));
    }
  }

  log(line: string): void {
    this.write(line);
  }

  stop(): void {}
}

class SilentProgress implements Progress {
  start(): void {}
  batch(): void {}
  log(): void {}
  stop(): void {}
}

/**
 * Chooses the progress display: silent when `quiet`, a live bar on a TTY, plain lines otherwise.
 * @example const progress = createProgress({ quiet: false }); progress.start(100);
 */
export function createProgress(options: {
  quiet: boolean;
  stream?: NodeJS.WriteStream;
  write?: (line: string) => void;
}): Progress {
  if (options.quiet) return new SilentProgress();
  const stream = options.stream ?? process.stdout;
  if (stream.isTTY) return new BarProgress(stream);
  return new LineProgress(options.write ?? ((line) => stream.write(`${line}\n`)), 5);
}
