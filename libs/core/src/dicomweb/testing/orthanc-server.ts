// A real Orthanc (Debian's `orthanc` + `orthanc-dicomweb`) for tests: its own process on 127.0.0.1 and a free port,
// a temp storage folder and a generated config, basic auth (or a bearer token) required. Never the system service.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from '../../async/testing/child-processes';
import type { DicomwebAuth } from '../dicomweb-http';

/** Where Debian's `orthanc` package installs the server. */
export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** A running Orthanc. */
export interface OrthancServer {
  /** Orthanc's REST root, `http://127.0.0.1:<port>`. */
  readonly restUrl: string;
  /** The DICOMweb plugin's root, `<restUrl>/dicom-web`. */
  readonly dicomwebUrl: string;
  /** The credentials it accepts. */
  readonly auth: DicomwebAuth;
  /** From spawn to the first answered `GET /system`, in ms. */
  readonly startupMs: number;
  /** A request to Orthanc's own REST API, with its credentials. */
  rest(path: string, init?: { method?: string; body?: Uint8Array | string }): Promise<Response>;
  /** Stores a Part 10 file with Orthanc's own REST upload (`POST /instances`), not DICOMweb; answers its Orthanc id. */
  upload(bytes: Uint8Array): Promise<string>;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and removes its storage folder. */
  stop(): Promise<void>;
}

/** Options of {@link startOrthanc}. */
export interface StartOrthancOptions {
  /**
   * Basic auth with a generated user (Orthanc's RegisteredUsers; the default), or a generated bearer token checked
   * by a Lua `IncomingHttpRequestFilter` (Orthanc has no bearer tokens of its own; it then answers 403 without it).
   */
  readonly authentication?: 'basic' | 'bearer';
}

/** The DICOMweb plugin's shared object, as the `orthanc-dicomweb` package installs it; undefined when absent. */
export function findDicomwebPlugin(): string | undefined {
  try {
    const files = execFileSync('dpkg', ['-L', 'orthanc-dicomweb'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return files.split('\n').find((file) => /libOrthancDicomWeb\.so$/.test(file) && existsSync(file));
  } catch {
    return undefined;
  }
}

/** Why Orthanc cannot be started here (for `it.skip`), or undefined when it can. */
export function orthancMissingReason(): string | undefined {
  if (!existsSync(ORTHANC_BINARY)) {
    return `${ORTHANC_BINARY} is not installed (apt-get install orthanc orthanc-dicomweb)`;
  }
  return findDicomwebPlugin()
    ? undefined
    : 'the orthanc-dicomweb plugin is not installed (apt-get install orthanc-dicomweb)';
}

/**
 * Starts Orthanc with the DICOMweb plugin on 127.0.0.1 and a free port, storage in a new temp folder, and waits
 * until it answers.
 *
 * @throws Error with the end of Orthanc's log when it exits or does not answer within 20 s.
 */
export async function startOrthanc(options: StartOrthancOptions = {}): Promise<OrthancServer> {
  const plugin = findDicomwebPlugin();
  if (!plugin || !existsSync(ORTHANC_BINARY)) {
    throw new Error(orthancMissingReason());
  }
  const dir = await mkdtemp(join(tmpdir(), 'orthanc-'));
  const port = await freePort();
  const secret = `${process.pid}-${port}-${Date.now()}`;
  const auth: DicomwebAuth =
    options.authentication === 'bearer'
      ? { kind: 'bearer', token: `token-${secret}` }
      : { kind: 'basic', username: 'pacs-user', password: `pw-${secret}` };
  const luaScripts: string[] = [];
  if (auth.kind === 'bearer') {
    const filter =
      'function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)\n' +
      `  return httpHeaders['authorization'] == 'Bearer ${auth.token}'\nend\n`;
    await writeFile(join(dir, 'bearer-filter.lua'), filter);
    luaScripts.push(join(dir, 'bearer-filter.lua'));
  }
  const config = {
    Name: `test-${port}`,
    StorageDirectory: join(dir, 'db'),
    IndexDirectory: join(dir, 'db'),
    HttpPort: port,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: auth.kind === 'basic',
    RegisteredUsers: auth.kind === 'basic' ? { [auth.username]: auth.password } : {},
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false },
    HttpThreadsCount: 4,
    ConcurrentJobs: 1,
    StorageCompression: false,
    LuaScripts: luaScripts,
  };
  await writeFile(join(dir, 'orthanc.json'), JSON.stringify(config, null, 2));
  const started = performance.now();
  const child = spawn(ORTHANC_BINARY, [`--logdir=${dir}`, join(dir, 'orthanc.json')], { stdio: 'ignore' });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const restUrl = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = {
    Authorization:
      auth.kind === 'basic'
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        : `Bearer ${auth.token}`,
  };
  const rest = (path: string, init: { method?: string; body?: Uint8Array | string } = {}): Promise<Response> =>
    fetch(`${restUrl}${path}`, { method: init.method ?? 'GET', headers, ...(init.body ? { body: init.body } : {}) });
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, 'SIGTERM', STOP_TIMEOUT_MS);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, () => rest('/system'), dir);
  } catch (error) {
    await stop();
    throw error;
  }
  const upload = async (bytes: Uint8Array): Promise<string> => {
    const response = await rest('/instances', { method: 'POST', body: bytes });
    const answer = (await response.json()) as { ID?: string };
    if (!response.ok || !answer.ID) {
      throw new Error(`Orthanc refused an upload: ${response.status} ${JSON.stringify(answer)}`);
    }
    return answer.ID;
  };
  return {
    restUrl,
    dicomwebUrl: `${restUrl}/dicom-web`,
    auth,
    startupMs: performance.now() - started,
    rest,
    upload,
    stop,
  };
}

async function waitUntilReady(child: ChildProcess, probe: () => Promise<Response>, dir: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Orthanc exited (${child.exitCode ?? child.signalCode}) while starting:\n${await logTail(dir)}`);
    }
    try {
      const response = await probe();
      await response.arrayBuffer();
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Orthanc did not answer within ${READY_TIMEOUT_MS} ms:\n${await logTail(dir)}`);
}

async function logTail(dir: string): Promise<string> {
  try {
    return (await readFile(join(dir, 'Orthanc.log'), 'utf8')).split('\n').slice(-15).join('\n');
  } catch {
    return '(no Orthanc.log)';
  }
}
