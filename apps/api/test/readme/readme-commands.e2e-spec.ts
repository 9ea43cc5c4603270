import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHIPPED_MODEL_NAMES, copyDemoModels } from '../support/demo-models';
import { readTestNifti } from '../support/inference-helpers';
import {
  type ReadmeCommand,
  type SkippedCommand,
  curlOutput,
  onHost,
  readmeCommands,
  skipFor,
} from '../support/readme-commands';
import { REPO_ROOT, freePort, logProblems, startServerProcess, type ServerProcess } from '../support/server-process';
import { ShellSession } from '../support/shell-session';

/*
 * The README's commands, run as a user pastes them on a fresh clone. The convention (also in docs/architecture.md):
 * - Every command of a ```sh block runs, in README order, in one bash session (a variable one command sets is there
 *   for the next), from a fresh-clone view of the repository: a temp folder linking every top-level entry of the
 *   checkout but `.git` and `workspace`, whose `workspace` holds a copy of the checkout's `lib` and the shipped demo
 *   models (not what was uploaded into the checkout). Files the commands write stay in that folder.
 * - The server is started as `npm start` starts it (tools/scripts/start.js) on that workspace, on 127.0.0.1; every
 *   `localhost:5000` in a command becomes its host and port. The port is free one unless README_TEST_PORT names one.
 * - curl reads a .curlrc (CURL_HOME) with `fail-with-body` and `show-error`, so an HTTP error fails its command; each
 *   command must exit 0 within COMMAND_TIMEOUT_MS, and a failure shows the command and its output.
 * - SKIPPED lists the commands that must not run here, each with its reason; an entry that covers no command fails.
 */

// Reading and comparing 8 M-voxel volumes on a loaded 2-core machine takes seconds.
jest.setTimeout(60_000);

/** Commands the test does not run, matched by their beginning. */
const SKIPPED: readonly SkippedCommand[] = [
  { startsWith: 'npm install && npm start', reason: 'starts the server this test starts itself (and reinstalls)' },
  { startsWith: 'npm test', reason: 'the whole suite, this test among it' },
];

/** Longest a command may run: the heaviest README command (a model on a 256³ MRI) takes about a minute here. */
const COMMAND_TIMEOUT_MS = 300_000;

const README = path.join(REPO_ROOT, 'README.md');
const SAMPLE_CT = path.join(REPO_ROOT, 'samples/spleen_8_ct.nii.gz');
const SAMPLE_LABEL = path.join(REPO_ROOT, 'samples/spleen_8_label.nii.gz');
const commands = readmeCommands(README);

/** A terminal's environment: no npm or Jest variables, and curl failing on HTTP errors (see the top of the file). */
function terminalEnv(curlHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|NODE_ENV$|JEST_)/.test(name)) {
      env[name] = value;
    }
  }
  return { ...env, CURL_HOME: curlHome };
}

/** The command of the README that contains `text` (the first). */
function commandWith(text: string): ReadmeCommand {
  const found = commands.find((command) => command.text.includes(text));
  if (!found) {
    throw new Error(`README.md has no command containing ${text}`);
  }
  return found;
}

describe('the README commands, as pasted, against a server started as npm start starts it', () => {
  let clone: string;
  let server: ServerProcess;
  let shell: ShellSession;

  beforeAll(async () => {
    clone = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'aiaa-readme-'));
    for (const entry of await fs.promises.readdir(REPO_ROOT)) {
      if (entry !== '.git' && entry !== 'workspace') {
        await fs.promises.symlink(path.join(REPO_ROOT, entry), path.join(clone, entry));
      }
    }
    const workspace = path.join(clone, 'workspace');
    await fs.promises.cp(path.join(REPO_ROOT, 'workspace', 'lib'), path.join(workspace, 'lib'), { recursive: true });
    // The models a fresh clone has: the shipped ones, not what was uploaded into this checkout.
    await copyDemoModels(workspace, SHIPPED_MODEL_NAMES);
    const curlHome = path.join(clone, '.curl-home');
    await fs.promises.mkdir(curlHome);
    await fs.promises.writeFile(path.join(curlHome, '.curlrc'), 'fail-with-body\nshow-error\n');
    const port = process.env['README_TEST_PORT'] ? Number(process.env['README_TEST_PORT']) : await freePort();
    server = await startServerProcess(workspace, 90_000, port);
    shell = new ShellSession(clone, terminalEnv(curlHome));
  }, 120_000);

  /** The start of the file a failed curl wrote its error reply to (`-o`), for the failure message. */
  function replyFile(command: ReadmeCommand): string {
    const output = curlOutput(command);
    const file = output === undefined ? undefined : path.join(clone, output);
    if (file === undefined || !fs.existsSync(file)) {
      return '';
    }
    return `${output}: ${fs.readFileSync(file).subarray(0, 1000).toString('utf8')}\n`;
  }

  afterAll(async () => {
    await shell?.close();
    await server?.stop();
    if (clone) {
      await fs.promises.rm(clone, { recursive: true, force: true });
    }
  }, 60_000);

  it('finds the commands, and every SKIPPED entry covers one of them', () => {
    expect(commands.length).toBeGreaterThan(5);
    const unused = SKIPPED.filter((entry) => !commands.some((command) => skipFor(command, [entry]) === entry));
    expect(unused).toEqual([]);
  });

  for (const command of commands) {
    const skip = skipFor(command, SKIPPED);
    if (skip) {
      it.skip(`README.md:${command.line} ${command.text} (skipped: ${skip.reason})`, () => undefined);
      continue;
    }
    it(
      `README.md:${command.line} ${command.text}`,
      async () => {
        const pasted = onHost(command, new URL(server.base).host);
        const result = await shell.run(pasted, COMMAND_TIMEOUT_MS);
        if (result.status !== 0) {
          const status =
            result.status === 'timeout' ? `no end within ${COMMAND_TIMEOUT_MS} ms` : `exit ${result.status}`;
          throw new Error(
            `README.md:${command.line}: ${status}\n$ ${pasted}\n${result.output}\n${replyFile(command)}` +
              `server log problems:\n${logProblems(path.join(clone, 'workspace'))}`,
          );
        }
      },
      COMMAND_TIMEOUT_MS + 10_000,
    );
  }

  describe('what the commands wrote', () => {
    const label = readTestNifti(fs.readFileSync(SAMPLE_LABEL));
    const [sizeX, sizeY] = label.dims as [number, number, number];
    const labelAt = ([x, y, z]: readonly number[]): number =>
      label.voxels[(x as number) + sizeX * ((y as number) + sizeY * (z as number))] as number;

    it("the DEXTR3D points are the extreme points of the sample's expert label", () => {
      const dextr3d = commandWith('/v1/dextr3d');
      const params = /params=(\{.*?\})'/.exec(dextr3d.text)?.[1] ?? '{}';
      const points = (JSON.parse(params) as { points: number[][] }).points;
      // The label's extent along x, y, z, computed here from its voxels.
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      label.voxels.forEach((value, at) => {
        if (value !== 0) {
          const voxel = [at % sizeX, Math.floor(at / sizeX) % sizeY, Math.floor(at / (sizeX * sizeY))];
          voxel.forEach((v, axis) => {
            lo[axis] = Math.min(lo[axis] as number, v);
            hi[axis] = Math.max(hi[axis] as number, v);
          });
        }
      });
      expect(points).toHaveLength(6);
      points.forEach((point, n) => {
        const axis = n >> 1;
        expect({ point, onLabel: labelAt(point) !== 0, at: point[axis] }).toEqual({
          point,
          onLabel: true,
          at: n % 2 === 0 ? lo[axis] : hi[axis],
        });
      });
    });

    /** Dice of a mask on the label's grid with the expert label. */
    function dice(mask: ReturnType<typeof readTestNifti>): number {
      expect(mask.dims).toEqual(label.dims);
      let both = 0;
      let total = 0;
      mask.voxels.forEach((value, at) => {
        const inMask = value !== 0;
        const inLabel = label.voxels[at] !== 0;
        both += inMask && inLabel ? 1 : 0;
        total += (inMask ? 1 : 0) + (inLabel ? 1 : 0);
      });
      return (2 * both) / total;
    }

    it('the DEXTR3D mask overlaps the expert label (Dice ≥ 0.55; the demo model is an intensity window)', () => {
      const output = curlOutput(commandWith('/v1/dextr3d')) ?? 'no -o';
      expect(dice(readTestNifti(fs.readFileSync(path.join(clone, output))))).toBeGreaterThanOrEqual(0.55);
    });

    it('the background click of the deepgrow example brings the mask closer to the expert label', () => {
      const [first, second] = commands
        .filter((command) => command.text.includes('/v1/deepgrow'))
        .map((command) => dice(readTestNifti(fs.readFileSync(path.join(clone, curlOutput(command) ?? 'no -o')))));
      expect(second).toBeGreaterThan((first as number) + 0.1);
    });

    it("AIAA's custom_inference example answers the inverted CT (−1 − HU, float32) on the CT's grid", () => {
      const output = curlOutput(commandWith('/v1/inference?model=custom_inference')) ?? 'no -o';
      const inverted = readTestNifti(fs.readFileSync(path.join(clone, output)));
      const ct = readTestNifti(fs.readFileSync(SAMPLE_CT));
      expect({ dims: inverted.dims, srow: inverted.srow }).toEqual({ dims: ct.dims, srow: ct.srow });
      let wrong = 0;
      ct.voxels.forEach((hu, at) => {
        wrong += inverted.voxels[at] === -1 - hu ? 0 : 1;
      });
      expect(wrong).toBe(0);
    });

    it('the bring-your-own-ONNX example labels exactly the voxels above 300 HU, on the CT grid', () => {
      const output = curlOutput(commandWith('/v1/segmentation?model=ct_bone_onnx')) ?? 'no -o';
      const mask = readTestNifti(fs.readFileSync(path.join(clone, output)));
      const ct = readTestNifti(fs.readFileSync(SAMPLE_CT));
      expect({ dims: mask.dims, srow: mask.srow }).toEqual({ dims: ct.dims, srow: ct.srow });
      let wrong = 0;
      let bone = 0;
      ct.voxels.forEach((hu, at) => {
        const expected = hu > 300 ? 1 : 0;
        bone += expected;
        wrong += mask.voxels[at] === expected ? 0 : 1;
      });
      expect(bone).toBeGreaterThan(0);
      expect(wrong).toBe(0);
    });
  });
});
