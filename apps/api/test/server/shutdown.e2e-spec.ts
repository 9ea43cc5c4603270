import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { THRESHOLD_ONNX, thresholdConfig, waitFor } from '../support/hardening-support';
import { PY_BOUNDARY, pyMultipart } from '../support/inference-helpers';
import { CT_FILE } from '../support/hardening-support';
import { rawRequest } from '../support/raw-http';
import { REPO_ROOT, freePort, serverPid } from '../support/server-process';
import { makeWorkspace, removeWorkspace } from '../support/test-app';

// Two real servers started with npm start (web bundle, SWC, models): minutes on a loaded 2-core machine.
jest.setTimeout(240_000);

/** A workspace with a model running the threshold ONNX, and one whose inference takes `slowMs`. */
async function prepare(slowMs: number): Promise<string> {
  const workspace = await makeWorkspace();
  const spleen = path.join(workspace, 'models', 'spleen');
  await fs.mkdir(spleen, { recursive: true });
  await fs.writeFile(path.join(spleen, 'config_aiaa.json'), JSON.stringify(thresholdConfig(1)));
  await fs.writeFile(path.join(spleen, 'model.onnx'), THRESHOLD_ONNX);
  const slow = path.join(workspace, 'models', 'slow');
  await fs.mkdir(slow, { recursive: true });
  await fs.writeFile(
    path.join(slow, 'config_aiaa.json'),
    JSON.stringify({ type: 'others', inference: { name: 'slow.Slow', args: {} } }),
  );
  await fs.mkdir(path.join(workspace, 'lib'));
  await fs.writeFile(
    path.join(workspace, 'lib', 'slow.js'),
    `exports.Slow = class Slow {\n  async inference(name, data) {\n    await new Promise((r) => setTimeout(r, ${slowMs}));\n    return data;\n  }\n};\n`,
  );
  return workspace;
}

/** The private temp folder of server `pid`: the `aiaa-server-<pid>-*` folder of the OS temp folder. */
async function privateTempOf(pid: number): Promise<string | undefined> {
  const entry = (await fs.readdir(os.tmpdir())).find((name) => name.startsWith(`aiaa-server-${pid}-`));
  return entry === undefined ? undefined : path.join(os.tmpdir(), entry);
}

const exists = (file: string): Promise<boolean> =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** `npm start` as a user types it; the child is npm itself, in a process group of its own (for the clean-up). */
async function npmStart(workspace: string, port: number, graceSec: number): Promise<ChildProcess> {
  const args = ['start', '--', '--workspace', workspace, '--port', String(port), '--host', '127.0.0.1'];
  const child = spawn('npm', [...args, '--shutdown_grace_sec', String(graceSec)], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: 'ignore',
  });
  const up = await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/v1/models`).then(
        (r) => r.status === 200,
        () => false,
      ),
    180_000,
  );
  if (!up) {
    process.kill(-(child.pid as number), 'SIGKILL');
    throw new Error('npm start did not come up');
  }
  return child;
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

const IMAGE = pyMultipart({ params: '{}' }, [{ field: 'datapoint', filename: 'ct.nii', content: CT_FILE }]);

describe.each([
  [
    'finishes a request in progress within the grace',
    1_500,
    8,
    200,
    '1 of 1 requests in progress finished; closing the models',
  ],
  [
    'cancels a request still running when the grace ends',
    20_000,
    1,
    0,
    '0 of 1 requests in progress finished, 1 cancelled after the 1 s grace',
  ],
])(
  'SIGTERM to npm start: the server %s, closes, logs one line and exits 0',
  (_what, slowMs, graceSec, status, line) => {
    let workspace: string;
    let child: ChildProcess | undefined;

    afterAll(async () => {
      if (child?.pid !== undefined && child.exitCode === null) {
        process.kill(-child.pid, 'SIGKILL');
      }
      await removeWorkspace(workspace);
    });

    it('stops as asked and leaves nothing behind', async () => {
      workspace = await prepare(slowMs);
      // The temp folder of a server killed outright (no such pid runs): the next start removes it.
      const abandoned = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-server-4194300-'));
      const port = await freePort();
      const startedAtMs = Date.now();
      child = await npmStart(workspace, port, graceSec);
      expect(await exists(abandoned)).toBe(false);
      const exited = exitOf(child);
      const pid = await serverPid(port);
      expect(pid).toBeDefined();
      // The server's private temp folder; onnxruntime's telemetry layer writes its debug log there, when it writes one.
      const tmp = await privateTempOf(pid as number);
      expect(tmp).toBeDefined();
      expect((await fs.stat(tmp as string)).mode & 0o777).toBe(0o700);
      // No debug log of this server in the shared temp folder. One under its pid may be there from an earlier process
      // that had the same pid (every process loading onnxruntime outside a private folder leaves one): only a file
      // written since this server started is its own.
      const shared = await fs.stat(path.join(os.tmpdir(), `mat-debug-${pid}.log`)).catch(() => undefined);
      expect(shared === undefined || shared.mtimeMs < startedAtMs).toBe(true);

      const inFlight = rawRequest(
        port,
        `POST /v1/inference?model=slow HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${PY_BOUNDARY}`,
        IMAGE,
        { timeoutMs: 60_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signalled = Date.now();
      process.kill(child.pid as number, 'SIGTERM');

      expect((await inFlight).statuses).toEqual(status ? [status] : []);
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(graceSec * 1000 + 15_000);
      // No process left, the port free, the temp folder gone.
      expect(await serverPid(port)).toBeUndefined();
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
      expect(await exists(tmp as string)).toBe(false);
      const log = await fs.readFile(path.join(workspace, 'logs', 'aiaa.log'), 'utf8');
      const stops = log.split('\n').filter((l) => l.includes('stopping on SIGTERM'));
      expect(stops).toHaveLength(1);
      expect(stops[0]).toContain(line);
      // The one line of the stop: nothing else of it is logged after the server started.
      const main = log.split('\n').filter((l) => l.includes('"context":"Main"'));
      expect(main.slice(main.findIndex((l) => l.includes('listening')) + 1)).toEqual(stops);
    });
  },
);
