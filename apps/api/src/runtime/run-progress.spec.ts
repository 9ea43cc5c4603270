import { setTimeout as sleep } from 'node:timers/promises';
import { RunProgress } from './run-progress';

const inference = { kind: 'inference', name: 'NativeInference', path: 'inference' } as const;

describe('RunProgress (the log of one model run)', () => {
  it('reports the current stage while the run lasts, then the time of each kind of stage', async () => {
    const lines: string[] = [];
    const progress = new RunProgress((line) => lines.push(line), 'brain', 20);
    progress.onStage(inference, 5, 10);
    // Bounded wait for two reports (every 20 ms) on a busy machine.
    for (let i = 0; i < 100 && lines.length < 2; i++) {
      await sleep(10);
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^model 'brain': running \d+\.\d s, stage 6\/10 inference NativeInference for \d+\.\d s$/);
    progress.done({ pre_transforms: 1240, inference: 40_000, post_transforms: 310, writer: 49, total: 41_620 });
    const reports = lines.length;
    await sleep(60);
    expect(lines.length).toBe(reports);
    expect(lines.at(-1)).toBe(
      "model 'brain': ran in 41.6 s (pre_transforms 1.2 s, inference 40.0 s, post_transforms 0.3 s, writer 0.0 s)",
    );
  });

  it('says when the run waits for a worker, and stays quiet once stopped', async () => {
    const lines: string[] = [];
    const progress = new RunProgress((line) => lines.push(line), 'brain', 20);
    for (let i = 0; i < 100 && lines.length < 1; i++) {
      await sleep(10);
    }
    progress.stop();
    expect(lines[0]).toMatch(/^model 'brain': running \d+\.\d s, waiting for a worker$/);
    const count = lines.length;
    await sleep(60);
    expect(lines.length).toBe(count);
  });
});
