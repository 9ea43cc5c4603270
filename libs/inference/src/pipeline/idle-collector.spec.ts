import { IdleCollector } from './idle-collector';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IdleCollector', () => {
  it('collects once, a delay after the last busy owner goes idle', async () => {
    let collections = 0;
    const collector = new IdleCollector({ gc: () => collections++, delayMs: 20 });
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
    const collector = new IdleCollector({ gc: () => collections++, delayMs: 30 });
    const pool = {};
    collector.set(pool, true);
    collector.set(pool, false);
    await sleep(5);
    collector.set(pool, true);
    await sleep(80);
    expect(collections).toBe(0);
  });

  it('does not collect for an owner that was not busy, nor without a gc function', async () => {
    let collections = 0;
    const collector = new IdleCollector({ gc: () => collections++, delayMs: 10 });
    collector.set({}, false);
    const without = new IdleCollector({ gc: undefined, delayMs: 10 });
    const pool = {};
    without.set(pool, true);
    without.set(pool, false);
    await sleep(40);
    expect(collections).toBe(0);
  });
});
