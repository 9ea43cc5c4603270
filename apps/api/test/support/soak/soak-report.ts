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
 * 64 MiB: a 2 000-request run measured +10 to +30 MiB over the warm-up (V8 heap growth to its working size and
 * allocator pages not yet returned), while a leak of one 128 KiB reply per request would show as +250 MiB.
 * 8 fds: libuv may open a handle or two lazily (a worker's pipe, the log file reopened), sockets are all closed.
 */
export const DEFAULT_BOUNDS: SoakBounds = { rssGrowthBytes: 64 * MiB, fdSlack: 8 };

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
