import { IdleCollector } from './idle-collector';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IdleCollector', () => {
  it('collects once, a delay after the last busy owner goes idle', async () => {
    let collections = 0;
    const collector = new IdleCollector({ gc: () => collections++, trimHeap: undefined, delayMs: 20 });
    const [a, b] = [{}, {}];
    collector.set(a, true);
    collector.set(b, true);
    collector.set(a, false);
    await sleep(60);
    expect(collections).toBe(0);
    collector.set(b, false);
    expect(collections).toBe(0);
    await sleep(60);
    expect(collections).toBe(1);
  });

  it('drops a pending collection when work starts again', async () => {
    let collections = 0;
    const collector = new IdleCollector({ gc: () => collections++, trimHeap: undefined, delayMs: 30 });
    const pool = {};
    collector.set(pool, true);
    collector.set(pool, false);
    await sleep(5);
    collector.set(pool, true);
    await sleep(80);
    expect(collections).toBe(0);
  });

  it('does not collect for an owner that was not busy', async () => {
    let collections = 0;
    const collector = new IdleCollector({ gc: () => collections++, trimHeap: () => void collections++, delayMs: 10 });
    collector.set({}, false);
    await sleep(40);
    expect(collections).toBe(0);
  });

  it('trims the native heap after the collection', async () => {
    const steps: string[] = [];
    const collector = new IdleCollector({
      gc: () => steps.push('gc'),
      trimHeap: () => void steps.push('trim'),
      delayMs: 10,
    });
    const pool = {};
    collector.set(pool, true);
    collector.set(pool, false);
    await sleep(40);
    expect(steps).toEqual(['gc', 'trim']);
  });

  it('does nothing without a gc function, not even the trim', async () => {
    let calls = 0;
    const without = new IdleCollector({ gc: undefined, trimHeap: () => void calls++, delayMs: 10 });
    const pool = {};
    without.set(pool, true);
    without.set(pool, false);
    await sleep(40);
    expect(calls).toBe(0);
  });
});
