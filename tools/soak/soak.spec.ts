import { formatReport, soakViolations, DEFAULT_BOUNDS } from './soak-report';
import { DEFAULT_SOAK_OPTIONS, runSoak, type SoakReport } from './soak-run';
import { SOAK_MODEL, logProblems, startSoakServer, type SoakServer } from './soak-server';

// The short form of `npm run soak`: the same driver, 300 segmentations instead of 2 000. Boot (SWC on load) takes
// 10–20 s on a busy 2-core machine, the run about as long; every request is bounded by its own timeout.
jest.setTimeout(240_000);

const SHORT = { requests: 300, clients: 8, warmup: 200 };

/** ERROR and WARN lines of the server log, but the 440s the cleanup check asks for on purpose. */
function unexpectedLogLines(workspace: string): string[] {
  return logProblems(workspace)
    .split('\n')
    .filter((line) => line !== '' && !/GET \/session\/[0-9a-f-]+ → 440/.test(line));
}

describe('soak: segmentations from concurrent clients against the real server process (short form)', () => {
  let server: SoakServer;
  let report: SoakReport;

  beforeAll(async () => {
    server = await startSoakServer();
    report = await runSoak(server, {
      ...DEFAULT_SOAK_OPTIONS,
      ...SHORT,
      model: SOAK_MODEL,
      // The server's own sweep runs every 60 s: too long here, so the next session's creation removes the expired
      // ones (the same removal of due sessions); `npm run soak` waits for the timer instead.
      timerSweepWaitMs: 0,
      requestTimeoutMs: 10_000,
    });
    process.stdout.write(`${formatReport(report)}\n`);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serves every request with the hand-computed mask, some of them on sessions', () => {
    expect({
      errors: report.errors,
      firstErrors: report.firstErrors,
      log: unexpectedLogLines(server.workspace),
    }).toEqual({
      errors: 0,
      firstErrors: [],
      log: [],
    });
    expect(report.served).toBe(SHORT.requests);
    expect(report.sessionRequests).toBeGreaterThan(0);
    expect(report.sessionRequests).toBeLessThan(SHORT.requests);
  });

  it(`keeps RSS growth after the warm-up within ${DEFAULT_BOUNDS.rssGrowthBytes / 2 ** 20} MiB`, () => {
    expect(report.after.rssBytes - report.before.rssBytes).toBeLessThanOrEqual(DEFAULT_BOUNDS.rssGrowthBytes);
  });

  it(`closes what it opened: open fds after ≤ before + ${DEFAULT_BOUNDS.fdSlack}`, () => {
    expect(report.peakFds).toBeGreaterThan(report.before.openFds);
    expect(report.after.openFds).toBeLessThanOrEqual(report.before.openFds + DEFAULT_BOUNDS.fdSlack);
  });

  it('removes the expired sessions: nothing left in sessions/, each answers 440', () => {
    const { cleanedBy, ...rest } = report.sessions;
    expect(rest).toEqual({
      created: DEFAULT_SOAK_OPTIONS.sessions,
      left: 0,
      statusesAfter: Array<number>(DEFAULT_SOAK_OPTIONS.sessions).fill(440),
      strayEntries: [],
    });
    // Mostly the next session's creation; the 60 s timer when a slow machine stretched the run past its first tick.
    expect(['next session', 'sweep timer']).toContain(cleanedBy);
  });

  it('passes the verdict `npm run soak` prints, which does fail a report past each bound', () => {
    expect(soakViolations(report)).toEqual([]);
    const broken: SoakReport = {
      ...report,
      served: report.served - 1,
      errors: 1,
      firstErrors: ['request 7: status 500'],
      after: {
        rssBytes: report.before.rssBytes + DEFAULT_BOUNDS.rssGrowthBytes + 1,
        openFds: report.before.openFds + DEFAULT_BOUNDS.fdSlack + 1,
      },
      sessions: { ...report.sessions, left: 1 },
    };
    expect(soakViolations(broken).map((line) => line.split(' ')[1])).toEqual(['errors,', 'grew', 'fds', '1']);
  });
});
