// A real PostgreSQL (Debian's `postgresql` package) for tests: a throwaway cluster initialised in a temp folder,
// listening on 127.0.0.1 and a free port, trust authentication, run as a non-root user when the tests run as root
// (PostgreSQL refuses to run as root). Never the system service.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, stopChild } from '@aiaa/core/testing';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** A running PostgreSQL cluster. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://aiaa@127.0.0.1:<port>/<database>` */
  urlOf(database: string): string;
  /** Creates an empty database (names: lower case letters, digits, `_`) and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown), keeping the cluster: {@link start} starts it again on the same port. */
  halt(): Promise<void>;
  /** Starts a halted server again. */
  start(): Promise<void>;
  /** Stops the server and removes the cluster. */
  stop(): Promise<void>;
}

/** The folder of `initdb` and `postgres`: `pg_config --bindir`, else the newest `/usr/lib/postgresql/<N>/bin`. */
export function findPostgresBinaries(): string | undefined {
  const has = (dir: string): boolean => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (has(dir.trim())) {
      return dir.trim();
    }
  } catch {
    // pg_config comes with libpq-dev, not with the server: look where Debian puts the server.
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find(has);
}

/** Why PostgreSQL cannot be started here, or undefined when it can. */
export function postgresMissingReason(): string | undefined {
  return findPostgresBinaries() ? undefined : 'PostgreSQL is not installed (apt-get install postgresql)';
}

/**
 * The user to run the server as: PostgreSQL refuses root, so as root the `postgres` user the Debian package creates
 * (else `nobody`); otherwise the current user.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  for (const name of ['postgres', 'nobody']) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

/**
 * Initialises a cluster in a new temp folder (superuser `aiaa`, trust authentication on 127.0.0.1 only) and starts
 * it on a free port, its socket in the same folder.
 * @throws Error with the end of the server's log when it does not accept connections within 30 s.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinaries();
  if (!bin) {
    throw new Error(postgresMissingReason());
  }
  const dir = mkdtempSync(join(tmpdir(), 'aiaa-pg-'));
  const user = serverUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
  }
  const data = join(dir, 'data');
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'aiaa', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...ids,
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    log = '';
    // fsync off: a test cluster need not survive a power cut, and fsyncs are slow on a shared CI disk.
    const args = ['-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off'];
    const started = spawn(join(bin, 'postgres'), [...args, '-c', 'max_connections=200'], {
      ...ids,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child = started;
    await waitUntilReady(started, port, () => log);
  };
  const halt = async (): Promise<void> => {
    if (child) {
      // SIGINT: PostgreSQL's fast shutdown.
      await stopChild(child, 'SIGINT', STOP_TIMEOUT_MS);
      child = undefined;
    }
  };
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const urlOf = (database: string): string => `postgres://aiaa@127.0.0.1:${port}/${database}`;
  try {
    await start();
  } catch (error) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    urlOf,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) {
        throw new Error(`createDatabase: '${name}' is not a plain lower-case name`);
      }
      await withClient(urlOf('postgres'), (client) => client.query(`CREATE DATABASE ${name}`));
      return urlOf(name);
    },
    halt,
    start,
    async stop() {
      process.removeListener('exit', killOnExit);
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on a new connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function waitUntilReady(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`postgres exited with code ${child.exitCode}:\n${log().slice(-2000)}`);
    }
    try {
      await withClient(`postgres://aiaa@127.0.0.1:${port}/postgres`, (client) => client.query('SELECT 1'));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms:\n${log().slice(-2000)}`);
}
