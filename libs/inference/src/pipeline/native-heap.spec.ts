import { residentBytes } from '@aiaa/core/testing';
import * as koffi from 'koffi';
import { nativeHeapTrimmer } from './native-heap';

const MiB = 1024 * 1024;

describe('nativeHeapTrimmer', () => {
  it('hands freed malloc blocks below the top of the heap back to the system (glibc)', async () => {
    const trimmer = await nativeHeapTrimmer();
    if (!('trim' in trimmer)) {
      throw new Error(`this test runs where glibc is the C library: ${trimmer.unavailable}`);
    }
    // 64 KiB blocks come from the heap (below glibc's 128 KiB mmap threshold); the last one stays allocated, so the
    // freed ones sit below live memory, where glibc's own trimming of the heap top does not reach them
    const libc = koffi.load('libc.so.6');
    const malloc = libc.func('void *malloc(size_t size)');
    const memset = libc.func('void *memset(void *s, int c, size_t n)');
    const free = libc.func('void free(void *p)');
    const blockBytes = 64 * 1024;
    const blocks: unknown[] = [];
    for (let i = 0; i < 1600; i++) {
      const block = malloc(blockBytes);
      memset(block, 1, blockBytes);
      blocks.push(block);
    }
    const last = blocks.pop();
    for (const block of blocks) {
      free(block);
    }
    const freed = residentBytes('self');
    trimmer.trim();
    const trimmed = residentBytes('self');
    free(last);
    // 100 MB were freed; at least 80 MB of them leave the process
    expect(freed - trimmed).toBeGreaterThan(80 * MiB);
  });

  it('is looked up once', async () => {
    expect(await nativeHeapTrimmer()).toBe(await nativeHeapTrimmer());
  });
});
