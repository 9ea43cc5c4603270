import { describeError } from '@aiaa/core';

/** What {@link nativeHeapTrimmer} found: a trim function, or why there is none on this platform. */
export type NativeHeapTrimmer = { readonly trim: () => void } | { readonly unavailable: string };

let found: NativeHeapTrimmer | undefined;

/**
 * glibc's `malloc_trim(0)`, through the koffi FFI: hands the free pages of every malloc arena back to the system.
 * glibc on its own returns only the free top of the main heap, so once a request's volumes are freed the pages between
 * live blocks, and the worker threads' arenas, stay resident: 36 MB over the idle level 3 s after two spleen CT
 * requests of the bench's Conv3d (384 against 348 MB); `malloc_trim(0)` brought that server to 319 MB, below its level
 * before the first request. Looked up once, on first use (the FFI's native module is not loaded otherwise).
 * Unavailable where the C library has no `malloc_trim` (musl, macOS, Windows).
 */
export async function nativeHeapTrimmer(): Promise<NativeHeapTrimmer> {
  if (found === undefined) {
    try {
      const koffi = await import('koffi');
      const mallocTrim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
      found = { trim: () => void mallocTrim(0) };
    } catch (error) {
      found = { unavailable: `no glibc malloc_trim: ${describeError(error)}` };
    }
  }
  return found;
}
