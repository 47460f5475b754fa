import { describe, expect, it } from 'vitest';
import { type BatchReport, createProgress, formatDuration } from '../src/terminal/progress';

const report = (batch: number, batches: number): BatchReport => ({
  epoch: 1,
  epochs: 2,
  batch,
  batches,
  loss: 0.12345,
  samplesPerSecond: 1234.4,
  etaSeconds: 75,
});

describe('progress display', () => {
  it('prints plain lines with epoch, batch, loss, throughput and ETA when the output is not a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const progress = createProgress({ quiet: false, stream, write: (line) => lines.push(line) });
    progress.start(10);
    progress.batch(report(1, 5));
    progress.batch(report(5, 5));
    progress.log('epoch 1 done');
    progress.stop();
    expect(lines).toEqual(['epoch 1/2 batch 5/5 loss 0.1235 1234 samples/s ETA 1m15s', 'epoch 1 done']);
  });

  it('prints nothing when quiet', () => {
    const lines: string[] = [];
    const progress = createProgress({ quiet: true, write: (line) => lines.push(line) });
    progress.start(10);
    progress.batch(report(5, 5));
    progress.log('hidden');
    expect(lines).toEqual([]);
  });

  it('formats durations in seconds and minutes', () => {
    expect(formatDuration(41.3)).toBe('41s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});
