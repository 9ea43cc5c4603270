// The server the soak runs against: started as `npm start` starts it, on a temporary workspace holding one demo model.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../server-process';
import { serverPidUnder } from './proc-stats';
import { SOAK_DIMS } from './soak-volume';

/** The demo model the soak segments with (workspace/models, committed). */
export const SOAK_MODEL = 'spleen_ct_threshold';

export interface SoakServer {
  readonly process: ServerProcess;
  /** The node process running the server (the launcher's child): the one whose RSS and fds are sampled. */
  readonly pid: number;
  readonly workspace: string;
  /** Stops the server and removes its workspace. */
  stop(): Promise<void>;
}

/**
 * Copies {@link SOAK_MODEL} into `workspace`, its sliding window set to the soak CT's size: the committed 32×256×256
 * window pads a 32×64×64 CT 16-fold and spends ~400 ms per request in the convolution, which would measure the
 * model rather than the server. The network, the transforms and the sliding-window path stay as committed.
 */
async function installModel(workspace: string): Promise<void> {
  const folder = path.join(workspace, 'models', SOAK_MODEL);
  await fs.cp(path.join(REPO_ROOT, 'workspace', 'models', SOAK_MODEL), folder, { recursive: true });
  const configFile = path.join(folder, 'config_aiaa.json');
  const config = JSON.parse(await fs.readFile(configFile, 'utf8')) as { inference: { roi?: number[] } };
  const [nx, ny, nz] = SOAK_DIMS;
  config.inference.roi = [nz, ny, nx];
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
}

/** Installs {@link SOAK_MODEL} in a new temp workspace and starts the server on it, on 127.0.0.1. */
export async function startSoakServer(): Promise<SoakServer> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-soak-'));
  const remove = (): Promise<void> => fs.rm(workspace, { recursive: true, force: true });
  try {
    await installModel(workspace);
    const server = await startServerProcess(workspace);
    try {
      const pid = serverPidUnder(server.child.pid ?? -1);
      return {
        process: server,
        pid,
        workspace,
        stop: async () => {
          await server.stop();
          await remove();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    await remove();
    throw error;
  }
}
