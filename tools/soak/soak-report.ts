// The soak's printed table and the verdict both the CLI and the spec apply.
import type { SoakReport } from './soak-run';

const MiB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

/** The bounds a soak must stay within. */
export interface SoakBounds {
  /** RSS after the run may exceed RSS after the warm-up by at most this many bytes. */
  readonly rssGrowthBytes: number;
  /** Open file handles after the run may exceed those before by at most this many. */
  readonly fdSlack: number;
}

/**
 * RSS, 64 MiB: after − before measured +9 to +12 MiB over 300 requests and −17 MiB over 2 000 (a major GC in
 * between), with sampled peaks 15–45 MiB above "after": the heap settles near 430–465 MiB and stays there (6 000
 * requests ended 39 MiB over a warm-up of only 50). Keeping each uploaded 256 KiB CT would add 75 MiB over 300
 * requests and 500 MiB over 2 000, so a per-request leak of that size breaks the bound in both forms.
 * Fds, 4: before and after were 30–31 in every run, with 41–46 at the peak (our 8 keep-alive sockets and the upload
 * files). Leaking the 8 client connections, or one handle per request, breaks it; a lazily opened handle does not.
 */
export const DEFAULT_BOUNDS: SoakBounds = { rssGrowthBytes: 64 * MiB, fdSlack: 4 };

/** Why the report breaks the bounds (one line each); empty when it passes. */
export function soakViolations(report: SoakReport, bounds: SoakBounds = DEFAULT_BOUNDS): string[] {
  const problems: string[] = [];
  if (report.errors > 0 || report.served !== report.requests) {
    problems.push(
      `${report.errors} errors, ${report.served} of ${report.requests} served: ${report.firstErrors.join('; ')}`,
    );
  }
  const growth = report.after.rssBytes - report.before.rssBytes;
  if (growth > bounds.rssGrowthBytes) {
    problems.push(`RSS grew by ${mib(growth)}, over the ${mib(bounds.rssGrowthBytes)} bound`);
  }
  if (report.after.openFds > report.before.openFds + bounds.fdSlack) {
    problems.push(`open fds ${report.before.openFds} → ${report.after.openFds}, over the slack of ${bounds.fdSlack}`);
  }
  const s = report.sessions;
  if (s.left > 0 || s.strayEntries.length > 0 || s.statusesAfter.some((status) => status !== 440)) {
    problems.push(
      `sessions: ${s.left} of ${s.created} expired ones left, stray entries [${s.strayEntries.join(', ')}], ` +
        `GET statuses after expiry [${s.statusesAfter.join(', ')}] (expected 440)`,
    );
  }
  return problems;
}

/** The soak's numbers as an aligned two-column table. */
export function formatReport(report: SoakReport): string {
  const s = report.sessions;
  const rows: [string, string][] = [
    ['requests served', `${report.served} of ${report.requests} (${report.sessionRequests} on sessions)`],
    ['clients', String(report.clients)],
    ['errors', String(report.errors)],
    [
      'duration',
      `${(report.durationMs / 1000).toFixed(1)} s (${((report.requests * 1000) / report.durationMs).toFixed(1)} req/s)`,
    ],
    [
      'latency p50 / p99 / max',
      `${report.latencyP50Ms.toFixed(1)} / ${report.latencyP99Ms.toFixed(1)} / ${report.latencyMaxMs.toFixed(1)} ms`,
    ],
    ['RSS before (after warm-up)', mib(report.before.rssBytes)],
    ['RSS after', `${mib(report.after.rssBytes)} (${growthText(report.after.rssBytes - report.before.rssBytes)})`],
    ['RSS peak (sampled)', mib(report.peakRssBytes)],
    ['RSS at each tenth (MiB)', report.rssByTenthBytes.map((bytes) => (bytes / MiB).toFixed(0)).join(' ')],
    ['open fds before / after / peak', `${report.before.openFds} / ${report.after.openFds} / ${report.peakFds}`],
    ['sessions created / left', `${s.created} / ${s.left} (removed by: ${s.cleanedBy})`],
    ['stray entries in sessions/', s.strayEntries.length === 0 ? 'none' : s.strayEntries.join(', ')],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

function growthText(bytes: number): string {
  return `${bytes >= 0 ? '+' : '-'}${mib(Math.abs(bytes))}`;
}
