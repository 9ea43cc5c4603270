// Preloaded into the server process by the benchmark (`node -r tools/bench/server-probe.js …`): measures event-loop
// delay and peak RSS from inside the server without touching its code. Talks to the benchmark over the IPC channel:
// 'reset' clears both, 'report' answers { eventLoopP99Ms, eventLoopMaxMs, peakRssBytes, rssBytes }.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { readFileSync, writeFileSync } = require('node:fs');

const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();

/**
 * The histogram records the interval between ticks of a `RESOLUTION_MS` timer, so an idle loop reads ~10 ms (measured:
 * min 9.2, p50 10.2, p99 10.5 ms on an idle process); the lag is what exceeds the resolution.
 */
function lagMs(nanoseconds) {
  return Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
}

function peakRssBytes() {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

if (process.send) {
  process.on('message', (message) => {
    if (message === 'reset') {
      delay.reset();
      try {
        // "5" resets the peak-RSS watermark (Linux ≥ 4.0)
        writeFileSync('/proc/self/clear_refs', '5');
      } catch {
        // not Linux: the peak then covers the whole process life
      }
      process.send({ reset: true });
    } else if (message === 'report') {
      process.send({
        eventLoopP99Ms: lagMs(delay.percentile(99)),
        eventLoopMaxMs: lagMs(delay.max),
        peakRssBytes: peakRssBytes(),
        rssBytes: process.memoryUsage.rss(),
      });
    }
  });
  // the IPC channel must not keep the server alive on its own
  process.channel?.unref();
}
