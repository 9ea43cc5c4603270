import { Serializer } from './serializer';

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Serializer', () => {
  it('runs work under one key one at a time, in the order asked', async () => {
    const serializer = new Serializer();
    const log: string[] = [];
    const first = deferred();
    const a = serializer.run('m', async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = serializer.run('m', async () => {
      log.push('b runs');
      return 'b';
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a starts']);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('runs the next piece after one that failed, and passes each its own outcome', async () => {
    const serializer = new Serializer();
    const failed = serializer.run('m', () => Promise.reject(new Error('boom')));
    const next = serializer.run('m', () => Promise.resolve(2));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
  });

  it('does not make different keys wait for each other', async () => {
    const serializer = new Serializer();
    const held = deferred();
    const slow = serializer.run('a', () => held.promise);
    await expect(serializer.run('b', () => Promise.resolve('b'))).resolves.toBe('b');
    held.resolve();
    await slow;
  });
});
