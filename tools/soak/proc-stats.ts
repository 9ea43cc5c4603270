// What the soak samples of the server process, read from Linux's /proc: resident memory and open file handles.
import * as fs from 'node:fs';
import { residentBytes } from '@aiaa/core/testing';

/** The pids whose parent is `parentPid` (from the 4th field of /proc/<pid>/stat). */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces or parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid) {
        children.push(Number(entry));
      }
    } catch {
      // the process ended while the folder was read
    }
  }
  return children;
}

/**
 * The pid of the node process that runs the server. `tools/scripts/start.js` (the `npm start` launcher) runs it as
 * its child, so that child is the one measured; the launcher itself holds only a few MiB.
 * @throws Error when the launcher has no child process (yet).
 */
export function serverPidUnder(launcherPid: number): number {
  const [pid, ...others] = childPids(launcherPid);
  if (pid === undefined || others.length > 0) {
    throw new Error(`expected one server process under the launcher ${launcherPid}, found [${childPids(launcherPid)}]`);
  }
  return pid;
}

/** Open file handles of `pid` (files, sockets, pipes): the entries of /proc/<pid>/fd. */
export function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** One sample of the server process. */
export interface ProcSample {
  readonly rssBytes: number;
  readonly openFds: number;
}

export function sample(pid: number): ProcSample {
  return { rssBytes: residentBytes(pid), openFds: openFds(pid) };
}
