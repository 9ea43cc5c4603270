import { sendPyMultipart, type RawReply } from './inference-helpers';

/** A segmentation's reply and how the server answered model listings while it ran. */
export interface SegmentedWhileListing {
  readonly reply: RawReply;
  /** Milliseconds each `GET /v1/models` took while the segmentation ran. */
  readonly listingMs: number[];
  /**
   * The share of the segmentation's time this thread's event loop was busy (Node's event loop utilization): for an
   * app running in this process (`startTestApp`), the server's own main thread, plus the little the listings cost.
   */
  readonly eventLoopUtilization: number;
}

/**
 * POSTs `image` to `/v1/segmentation?model=…` and, until it answers, times `GET /v1/models` every `everyMs`
 * (bounded by `maxListings`): an event loop held by the inference shows in those times.
 */
export async function segmentWhileListing(
  base: string,
  model: string,
  image: { filename: string; content: Buffer },
  { everyMs, maxListings }: { everyMs: number; maxListings: number },
): Promise<SegmentedWhileListing> {
  let done = false;
  const loopBefore = performance.eventLoopUtilization();
  const segmentation = sendPyMultipart('POST', `${base}/v1/segmentation?model=${model}`, { params: '{}' }, [
    { field: 'datapoint', ...image },
  ]).finally(() => {
    done = true;
  });
  const listingMs: number[] = [];
  for (let i = 0; i < maxListings && !done; i++) {
    const listingStarted = performance.now();
    const listing = await fetch(`${base}/v1/models`);
    await listing.arrayBuffer();
    if (!done) {
      // A listing that ended together with the segmentation says nothing about the time in between.
      if (listing.status !== 200) {
        throw new Error(`GET /v1/models answered ${listing.status} while the segmentation ran`);
      }
      listingMs.push(performance.now() - listingStarted);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const reply = await segmentation;
  const eventLoopUtilization = performance.eventLoopUtilization(loopBefore).utilization;
  return { reply, listingMs, eventLoopUtilization };
}
