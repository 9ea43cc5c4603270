import { readFileSync } from 'node:fs';
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
  /**
   * CPU milliseconds this process's main thread spent during the segmentation (Linux `/proc`): unlike the loop's
   * busy share, it does not grow when other processes slow the machine down.
   */
  readonly mainThreadCpuMs: number;
}

/** CPU time of this process's main thread (user + system), from `/proc/self/task/<pid>/stat`, in ms. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis; utime and stime are
  // fields 14 and 15, in clock ticks of 1/100 s (USER_HZ).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
  const cpuBefore = mainThreadCpuMs();
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
  return { reply, listingMs, eventLoopUtilization, mainThreadCpuMs: mainThreadCpuMs() - cpuBefore };
}
