import type { MedicalImage } from '../image/medical-image';
import { makeImage } from '../testing';
import { LruCache } from './lru-cache';

/** An image of `bytes` uint8 voxels. */
const image = (bytes: number) => makeImage(new Uint8Array(bytes), [1, 1, bytes]);

/** A cache of images weighed by their voxel bytes, as the session image cache is. */
const images = (maxEntries: number, maxBytes: number) =>
  new LruCache<MedicalImage>({ maxEntries, maxBytes, bytesOf: (i) => i.voxels.byteLength });

describe('LruCache', () => {
  it('returns the very value it was given (shared, not copied)', () => {
    const cache = images(2, 1000);
    const a = image(10);
    cache.set('a', a);
    expect(cache.get('a')).toBe(a);
    expect(cache.bytes).toBe(10);
  });

  it('drops the least recently used entry when the entry limit is reached', () => {
    const cache = images(2, 1000);
    cache.set('a', image(1));
    cache.set('b', image(1));
    cache.get('a');
    cache.set('c', image(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('drops old entries until the new one fits the byte budget, and never keeps one larger than it', () => {
    const cache = images(10, 100);
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
    const cache = images(10, 100);
    cache.set('a', image(30));
    cache.set('a', image(20));
    expect(cache.bytes).toBe(20);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('keeps nothing with an entry limit of 0, and forgets everything on clear', () => {
    const none = images(0, 100);
    none.set('a', image(1));
    expect(none.size).toBe(0);
    const cache = images(10, 100);
    cache.set('a', image(10));
    cache.set('b', image(20));
    cache.clear();
    expect([cache.size, cache.bytes, cache.get('a')]).toEqual([0, 0, undefined]);
  });

  it('lists its values least recently used first, without reordering them', () => {
    const cache = new LruCache<string>({ maxEntries: 10, maxBytes: 100, bytesOf: (s) => s.length });
    cache.set('a', 'x');
    cache.set('b', 'yy');
    cache.get('a');
    expect([...cache.values()]).toEqual(['yy', 'x']);
    expect([...cache.values()]).toEqual(['yy', 'x']);
  });
});
