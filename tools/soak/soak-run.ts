// The soak itself: warm-up, then `requests` segmentations from `clients` concurrent clients (some on short-lived
// sessions), sampling the server's RSS and open file handles before, during and after; then the sessions' expiry.
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sample, type ProcSample } from './proc-stats';
import { createSession, segmentOnce, type SoakTarget } from './soak-client';
import { checkSessionCleanup, type SessionCleanup } from './soak-sessions';
import type { SoakServer } from './soak-server';

export interface SoakOptions {
  readonly model: string;
  /** Segmentations measured, after the warm-up. */
  readonly requests: number;
  /** Concurrent clients; each runs a loop that ends when all `requests` are taken. */
  readonly clients: number;
  /**
   * Segmentations before the "before" sample, so that lazy allocations (model load, JIT, pools) are behind us. The
   * server's RSS measured flat from about 200 requests on (430 ± 15 MiB over 2 000); after only 50 it was 40–55 MiB
   * below that level, which a bound on growth would count as a leak.
   */
  readonly warmup: number;
  /** Sessions created for the run; some requests use them by `session_id` instead of uploading. */
  readonly sessions: number;
  readonly sessionExpirySec: number;
  /** Each request is aborted after this long (and counts as an error). */
  readonly requestTimeoutMs: number;
  /** How long to wait for the server's own sweep timer to remove the expired sessions (0: do not wait for it). */
  readonly timerSweepWaitMs: number;
  /** Progress lines, for the CLI. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_SOAK_OPTIONS: Omit<SoakOptions, 'model'> = {
  requests: 2000,
  clients: 8,
  warmup: 200,
  sessions: 3,
  sessionExpirySec: 2,
  requestTimeoutMs: 30_000,
  // the server sweeps expired sessions every 60 s (InferenceOptions.sessionSweepSec) and has no flag for it
  timerSweepWaitMs: 65_000,
};

export interface SoakReport {
  readonly requests: number;
  readonly clients: number;
  readonly served: number;
  readonly sessionRequests: number;
  readonly errors: number;
  /** The first few errors, for messages. */
  readonly firstErrors: readonly string[];
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly durationMs: number;
  readonly before: ProcSample;
  readonly after: ProcSample;
  readonly peakRssBytes: number;
  readonly peakFds: number;
  /** RSS when each tenth of the requests had been answered: a leak climbs steadily, a settling heap flattens. */
  readonly rssByTenthBytes: readonly number[];
  readonly sessions: SessionCleanup;
}

const SAMPLE_EVERY_MS = 250;
/** At most this many error messages are kept. */
const KEPT_ERRORS = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
}

/** Requests taken by the clients, errors and latencies. */
class Tally {
  served = 0;
  sessionRequests = 0;
  errors = 0;
  readonly firstErrors: string[] = [];
  readonly latenciesMs: number[] = [];

  record(index: number, latencyMs: number, problem: string | undefined, onSession: boolean): void {
    this.latenciesMs.push(latencyMs);
    this.sessionRequests += onSession ? 1 : 0;
    if (problem === undefined) {
      this.served++;
    } else {
      this.errors++;
      if (this.firstErrors.length < KEPT_ERRORS) {
        this.firstErrors.push(`request ${index}${onSession ? ' (session)' : ''}: ${problem}`);
      }
    }
  }
}

/** Sessions in use and when each was last sent, so that none idles long enough to expire during the run. */
class SessionRotation {
  readonly #lastUsedMs: Map<string, number>;
  lastUseMs = 0;

  constructor(
    ids: readonly string[],
    private readonly expiryMs: number,
  ) {
    this.#lastUsedMs = new Map(ids.map((id) => [id, performance.now()]));
  }

  /** The session request `index` should use: every 10th request, or sooner when a session idled half its expiry. */
  pick(index: number): string | undefined {
    let oldest: [string, number] | undefined;
    for (const entry of this.#lastUsedMs) {
      if (!oldest || entry[1] < oldest[1]) {
        oldest = entry;
      }
    }
    const now = performance.now();
    if (!oldest || (index % 10 !== 0 && now - oldest[1] < this.expiryMs / 2)) {
      return undefined;
    }
    this.#lastUsedMs.set(oldest[0], now);
    return oldest[0];
  }

  /** Marks the end of a session request: expiry counts from the server's last access, at most this late. */
  used(): void {
    this.lastUseMs = Date.now();
  }
}

/** `total` segmentations from `clients` loops; each loop takes the next index until none is left. */
async function hammer(
  target: SoakTarget,
  model: string,
  total: number,
  clients: number,
  rotation?: SessionRotation,
  onAnswered?: (answered: number) => void,
): Promise<Tally> {
  const tally = new Tally();
  let next = 0;
  const client = async (): Promise<void> => {
    for (let index = next++; index < total; index = next++) {
      const sessionId = rotation?.pick(index);
      const started = performance.now();
      let problem: string | undefined;
      try {
        problem = await segmentOnce(target, model, sessionId);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      if (sessionId) {
        rotation?.used();
      }
      tally.record(index, performance.now() - started, problem, sessionId !== undefined);
      onAnswered?.(tally.latenciesMs.length);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return tally;
}

/** A target over a fresh keep-alive agent, destroyed (its sockets closed) when `use` ends. */
async function withAgent<T>(
  base: string,
  options: SoakOptions,
  keepAlive: boolean,
  use: (target: SoakTarget) => Promise<T>,
): Promise<T> {
  const agent = new http.Agent({ keepAlive, maxSockets: options.clients });
  try {
    return await use({ base, agent, timeoutMs: options.requestTimeoutMs });
  } finally {
    agent.destroy();
  }
}

/** Runs the soak against a started server. Never throws for a bad reply: everything lands in the report. */
export async function runSoak(server: SoakServer, options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const base = server.process.base;
  log(`warm-up: ${options.warmup} segmentations`);
  const warm = await withAgent(base, options, true, (target) =>
    hammer(target, options.model, options.warmup, options.clients),
  );
  if (warm.errors > 0) {
    log(`warm-up errors: ${warm.firstErrors.join('; ')}`);
  }
  const ids = await withAgent(base, options, false, async (target) => {
    const created: string[] = [];
    for (let i = 0; i < options.sessions; i++) {
      created.push(await createSession(target, options.sessionExpirySec));
    }
    return created;
  });
  // Both samples are taken with none of our sockets open, so they count only what the server holds for itself.
  const before = await settledSample(server.pid, Number.POSITIVE_INFINITY);
  const rotation = new SessionRotation(ids, options.sessionExpirySec * 1000);
  let peakRssBytes = before.rssBytes;
  let peakFds = before.openFds;
  const rssByTenthBytes: number[] = [];
  const tenth = Math.max(1, Math.floor(options.requests / 10));
  const sampler = setInterval(() => {
    const now = sample(server.pid);
    peakRssBytes = Math.max(peakRssBytes, now.rssBytes);
    peakFds = Math.max(peakFds, now.openFds);
  }, SAMPLE_EVERY_MS);
  log(`soak: ${options.requests} segmentations from ${options.clients} clients, ${ids.length} sessions`);
  const started = performance.now();
  let tally: Tally;
  try {
    tally = await withAgent(base, options, true, (target) =>
      hammer(target, options.model, options.requests, options.clients, rotation, (answered) => {
        if (answered % tenth === 0 && rssByTenthBytes.length < 10) {
          rssByTenthBytes.push(sample(server.pid).rssBytes);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const durationMs = performance.now() - started;
  const after = await settledSample(server.pid, before.openFds);
  peakRssBytes = Math.max(peakRssBytes, after.rssBytes);
  peakFds = Math.max(peakFds, after.openFds);
  log(`sessions: waiting for their ${options.sessionExpirySec} s expiry and the cleanup`);
  const sessions = await withAgent(base, options, false, (target) =>
    checkSessionCleanup(target, server.workspace, ids, {
      expiresAtMs: (rotation.lastUseMs || Date.now()) + options.sessionExpirySec * 1000,
      timerSweepWaitMs: options.timerSweepWaitMs,
    }),
  );
  const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
  return {
    requests: options.requests,
    clients: options.clients,
    served: tally.served,
    sessionRequests: tally.sessionRequests,
    errors: tally.errors + warm.errors,
    firstErrors: [...warm.firstErrors, ...tally.firstErrors].slice(0, KEPT_ERRORS),
    latencyP50Ms: percentile(sorted, 0.5),
    latencyP99Ms: percentile(sorted, 0.99),
    latencyMaxMs: sorted[sorted.length - 1] ?? 0,
    durationMs,
    before,
    after,
    peakRssBytes,
    peakFds,
    rssByTenthBytes,
    sessions,
  };
}

/**
 * A sample once the server has closed the sockets we dropped (it notices within milliseconds): after 300 ms, polls
 * for at most 5 s more until the fd count is `fdsTarget` or below, and returns the last sample either way.
 */
async function settledSample(pid: number, fdsTarget: number): Promise<ProcSample> {
  await sleep(300);
  let last = sample(pid);
  for (let attempt = 0; attempt < 50 && last.openFds > fdsTarget; attempt++) {
    await sleep(100);
    last = sample(pid);
  }
  return last;
}
