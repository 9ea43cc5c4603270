import { statSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { segment } from '../http-client';
import type { Report } from '../report';
import type { BenchServer } from '../server';
import { percentile } from '../stats';

/**
 * 5. N annotators at once: each client sends segmentation requests back to back. Bounded: `requestsPerClient` each
 * and at most `maxSeconds` overall. Event-loop lag and peak RSS come from the probe inside the server.
 */
export async function benchConcurrency(
  report: Report,
  server: BenchServer,
  model: string,
  file: string,
  rawVolumeBytes: number,
  options: { clients: readonly number[]; requestsPerClient: number; maxSeconds: number },
): Promise<void> {
  report.section(
    `5. Concurrency on ${path.basename(file)} (${(statSync(file).size / 1e6).toFixed(1)} MB file, ${(rawVolumeBytes / 1e6).toFixed(0)} MB raw)`,
  );
  // A serving server has loaded the model into its worker and run its kernels through the JIT; without this, the first
  // figure (1 client) counted that one-time cost as per-request memory when the section ran alone (`--only 5`).
  for (let warm = 0; warm < 3; warm++) {
    await segment(server.baseUrl, model, file);
  }
  for (const clients of options.clients) {
    await server.probe('reset');
    // right after the reset the watermark is the idle RSS: the baseline the requests add to
    const idleRssBytes = (await server.probe('report')).peakRssBytes;
    const latencies: number[] = [];
    const deadline = performance.now() + options.maxSeconds * 1000;
    let failures = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < options.requestsPerClient && performance.now() < deadline; i++) {
          try {
            latencies.push((await segment(server.baseUrl, model, file)).totalMs);
          } catch {
            failures++;
          }
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const probe = await server.probe('report');
    latencies.sort((a, b) => a - b);
    const prefix = `${clients} client${clients > 1 ? 's' : ''}:`;
    report.add({
      section: '5',
      name: `${prefix} throughput (${latencies.length} ok, ${failures} failed)`,
      value: latencies.length / seconds,
      unit: 'req/s',
    });
    report.add({ section: '5', name: `${prefix} latency p50`, value: percentile(latencies, 50), unit: 'ms' });
    report.add({ section: '5', name: `${prefix} latency p99`, value: percentile(latencies, 99), unit: 'ms' });
    report.add({
      section: '5',
      name: `${prefix} event-loop lag p99`,
      value: probe.eventLoopP99Ms,
      unit: 'ms',
      goal: clients === 8 ? '< 20 ms' : undefined,
      met: clients === 8 ? probe.eventLoopP99Ms < 20 : undefined,
    });
    const perInFlight = (probe.peakRssBytes - idleRssBytes) / clients / rawVolumeBytes;
    report.add({
      section: '5',
      name: `${prefix} peak RSS ${(probe.peakRssBytes / 1e6).toFixed(0)} MB (idle ${(idleRssBytes / 1e6).toFixed(0)}), added per request / raw volume`,
      value: perInFlight,
      unit: '×',
      goal: '≤ 3×',
      met: perInFlight <= 3,
    });
  }
}
