import { KServePeer } from '@aiaa/inference/testing';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * A Triton stand-in without a GPU: the in-repo KServe v2 peer (gRPC, onnxruntime on the CPU) serving a model
 * repository folder, so `npm start -- --engine TRITON --triton_port <port> --triton_model_path <folder>` can be tried
 * and benchmarked anywhere.
 *
 *   node tools/scripts/triton-peer.js --port 8001 --repository ./workspace/triton-models [--load-all]
 *
 * Prints `listening on <host>:<port>` once it serves (port 0 picks a free one), then runs until SIGINT/SIGTERM.
 */

const USAGE = `usage: triton-peer [--host 127.0.0.1] [--port 8001] [--repository <folder>] [--load-all] [--load <name>]...
  --host        address to listen on (default 127.0.0.1)
  --port        gRPC port (default 8001; 0 picks a free port)
  --repository  model repository: <name>/config.pbtxt and <name>/<version>/model.onnx (default: none, push only)
  --load-all    load every model of the repository at start, as Triton's default model control mode does
  --load        load this model at start (repeatable), as Triton's --load-model does
  --delay-ms    answer every call this much later (to try deadlines)`;

export interface TritonPeerArgs {
  readonly host: string;
  readonly port: number;
  readonly repository: string | undefined;
  readonly loadAll: boolean;
  readonly load: readonly string[];
  readonly delayMs: number;
}

/** Parses the command line; throws an Error that names the option and shows the usage on a bad one. */
export function parseTritonPeerArgs(argv: readonly string[]): TritonPeerArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8001' },
      repository: { type: 'string' },
      'load-all': { type: 'boolean', default: false },
      load: { type: 'string', multiple: true, default: [] },
      'delay-ms': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    throw new Error(USAGE);
  }
  const integer = (option: string, text: string, max: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new Error(`--${option}: expected an integer in [0, ${max}], got '${text}'\n${USAGE}`);
    }
    return value;
  };
  const repository = values.repository === undefined ? undefined : resolve(values.repository);
  if (repository === undefined && (values['load-all'] || values.load.length > 0)) {
    throw new Error(`--load-all and --load need --repository\n${USAGE}`);
  }
  return {
    host: values.host,
    port: integer('port', values.port, 65535),
    repository,
    loadAll: values['load-all'],
    load: values.load,
    delayMs: integer('delay-ms', values['delay-ms'], 600_000),
  };
}

/** Starts the peer as the arguments say and loads the models asked for; resolves once it serves. */
export async function startTritonPeer(args: TritonPeerArgs, log: (line: string) => void): Promise<KServePeer> {
  if (args.repository !== undefined) {
    await mkdir(args.repository, { recursive: true });
  }
  const peer = await KServePeer.start({ host: args.host, port: args.port, repository: args.repository });
  peer.faults.delayMs = args.delayMs;
  if (args.loadAll) {
    for (const [name, reason] of Object.entries(await peer.loadAll())) {
      log(`model '${name}' not loaded: ${reason}`);
    }
  }
  for (const name of args.load) {
    await peer.loadModel(name).catch((error: unknown) => log(error instanceof Error ? error.message : String(error)));
  }
  log(`loaded: ${peer.loadedModels.join(', ') || 'none'}`);
  log(`listening on ${peer.address}`);
  return peer;
}

async function main(): Promise<void> {
  let args: TritonPeerArgs;
  try {
    args = parseTritonPeerArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const peer = await startTritonPeer(args, (line) => console.log(line));
  const shutdown = (): void => {
    void peer.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
