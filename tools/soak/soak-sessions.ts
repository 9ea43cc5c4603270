// After the soak: the sessions it used expire, and the server removes their folders. The server sweeps expired
// sessions on a 60 s timer and also before it creates a new session; the soak waits for the timer when allowed, and
// otherwise lets a new session's creation do it (the same removal of due sessions, sooner).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createSession, deleteSession, sessionStatus, type SoakTarget } from './soak-client';

export interface SessionCleanup {
  readonly created: number;
  /** Folders of the expired sessions still on disk after the cleanup. */
  readonly left: number;
  /** What removed them: the server's sweep timer, or the creation of the next session. */
  readonly cleanedBy: 'sweep timer' | 'next session' | 'nothing';
  /** `GET /session/{id}` of each expired session after the cleanup (the AIAA contract says 440). */
  readonly statusesAfter: readonly number[];
  /** Anything in `<ws>/sessions/` but the empty upload folder `tmp/` at the very end (leaked sessions or uploads). */
  readonly strayEntries: readonly string[];
}

export interface CleanupTiming {
  /** When (Date.now()) the last session expires: its last access plus its expiry. */
  readonly expiresAtMs: number;
  /** How long to wait for the sweep timer before creating a session to trigger the removal. */
  readonly timerSweepWaitMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function entries(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

/** Waits for `ids` to expire, then for their removal; reports what is left. Every wait is bounded. */
export async function checkSessionCleanup(
  target: SoakTarget,
  workspace: string,
  ids: readonly string[],
  timing: CleanupTiming,
): Promise<SessionCleanup> {
  const sessionsDir = path.join(workspace, 'sessions');
  const left = async (): Promise<number> => (await entries(sessionsDir)).filter((e) => ids.includes(e)).length;
  // Expiry compares whole-second-resolution timestamps with '>': one more second makes every session due.
  await sleep(Math.max(0, timing.expiresAtMs + 1000 - Date.now()));
  let cleanedBy: SessionCleanup['cleanedBy'] = 'nothing';
  const timerDeadline = Date.now() + timing.timerSweepWaitMs;
  while ((await left()) > 0 && Date.now() < timerDeadline) {
    await sleep(250);
  }
  if ((await left()) === 0) {
    cleanedBy = 'sweep timer';
  } else {
    const probe = await createSession(target, 60);
    if ((await left()) === 0) {
      cleanedBy = 'next session';
    }
    await deleteSession(target, probe);
  }
  const remaining = await left();
  const statusesAfter: number[] = [];
  for (const id of ids) {
    statusesAfter.push(await sessionStatus(target, id));
  }
  const strayEntries = [
    ...(await entries(sessionsDir)).filter((e) => e !== 'tmp'),
    ...(await entries(path.join(sessionsDir, 'tmp'))).map((e) => `tmp/${e}`),
  ];
  return { created: ids.length, left: remaining, cleanedBy, statusesAfter, strayEntries };
}
