import { TimeoutError, type MedicalImage, type TransformContext } from '@aiaa/core';
import type { LoadedModel } from './loaded-model';

/**
 * A private copy of a cached session image for one run: a model running in worker threads moves (detaches) its
 * input buffers, and a user's transform may write into them; either would spoil the cache for the next click. One
 * copy costs far less than reading and inflating the file again.
 */
export function copyOf(image: MedicalImage): MedicalImage {
  return image.with({ voxels: image.voxels.slice() });
}

/**
 * Runs the model, abandoning it with a TimeoutError (504) after `timeoutMs` (0: no limit): the run is cancelled, and
 * the reply does not wait for a stage that never returns, such as a hung plugin.
 */
export async function runWithin(
  model: LoadedModel,
  ctx: TransformContext,
  options: { readonly signal: AbortSignal; readonly cacheKey: string | undefined },
  timeoutMs: number,
): ReturnType<LoadedModel['run']> {
  const { signal, cacheKey } = options;
  if (timeoutMs <= 0) {
    return model.run(ctx, { signal, cacheKey });
  }
  const deadline = new AbortController();
  const run = model.run(ctx, { signal: AbortSignal.any([signal, deadline.signal]), cacheKey });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // Rejected before the abort, so the reply names the deadline rather than the cancellation it causes.
      reject(
        new TimeoutError(
          `model '${model.info.name}': inference did not finish within ${timeoutMs / 1000} s (--request_timeout_sec)`,
        ),
      );
      deadline.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
    // An abandoned run settles on its own (or never, if its stage hangs); its outcome is no longer anyone's.
    void run.catch(() => undefined);
  }
}
