import { makeImage } from '@aiaa/core/testing';
import { SessionImageCache } from './session-image-cache';

/** An image of `bytes` uint8 voxels. */
const image = (bytes: number) => makeImage(new Uint8Array(bytes), [1, 1, bytes]);

describe('SessionImageCache', () => {
  it('returns the very image it was given (shared, not copied)', () => {
    const cache = new SessionImageCache(2, 1000);
    const a = image(10);
    cache.set('a', a);
    expect(cache.get('a')).toBe(a);
    expect(cache.bytes).toBe(10);
  });

  it('drops the least recently used entry when the entry limit is reached', () => {
    const cache = new SessionImageCache(2, 1000);
    cache.set('a', image(1));
    cache.set('b', image(1));
    cache.get('a');
    cache.set('c', image(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('drops old entries until the new one fits the byte budget, and never keeps one larger than it', () => {
    const cache = new SessionImageCache(10, 100);
    cache.set('a', image(40));
    cache.set('b', image(40));
    cache.set('c', image(50));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.bytes).toBe(90);
    cache.set('huge', image(101));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBe(90);
  });

  it('forgets a deleted or replaced entry and its bytes', () => {
    const cache = new SessionImageCache(10, 100);
    cache.set('a', image(30));
    cache.set('a', image(20));
    expect(cache.bytes).toBe(20);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
