// The entry of a pipeline worker thread: builds the model's pipeline with the factory module named by the pool, then
// runs one request at a time on contexts whose voxels were moved to it. Never imported by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '@aiaa/core';
import { packContext, packError, unpackContext } from './context-transfer';
import { idleCollector } from './idle-collector';
import type { ModelPipeline } from './model-pipeline';
import type { PipelineFactory, WorkerData, WorkerReply, WorkerRequest } from './pipeline-worker-protocol';

const port = parentPort;
if (!port) {
  throw new Error('pipeline-worker-main runs only as a worker thread');
}
const data = workerData as WorkerData;
const running = new Map<number, AbortController>();

async function loadPipeline(): Promise<ModelPipeline> {
  // A plain require: the factory is a path (TypeScript sources go through the loader hook the worker was started with).
  const loaded = require(data.factory.module) as Record<string, unknown>;
  const exportName = data.factory.exportName ?? 'createPipeline';
  const factory = loaded[exportName];
  if (typeof factory !== 'function') {
    throw new Error(
      `${data.factory.module} exports no function '${exportName}' (exports: ${Object.keys(loaded).join(', ')})`,
    );
  }
  return (factory as PipelineFactory)(data.spec);
}

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

async function run(pipeline: ModelPipeline, request: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  // This thread's own collector (module state is per thread): the request's intermediate volumes are this thread's
  // garbage, which the main thread's collection does not reach (166 MB stayed after three MeshNet requests).
  idleCollector.set(controller, true);
  try {
    const ctx = unpackContext(request.ctx, controller.signal);
    const result = await pipeline.run(ctx, {
      cacheKey: request.cacheKey,
      onStage: (stage, index, total) => post({ type: 'stage', id: request.id, stage, index, total }),
    });
    const { message, transfer } = packContext(result.ctx, (buffer) => pipeline.holdsCachedVoxels(buffer));
    post(
      {
        type: 'done',
        id: request.id,
        ctx: message,
        timingsMs: result.timingsMs,
        stages: result.stages,
        cacheHit: result.cacheHit,
      },
      transfer,
    );
  } catch (error) {
    try {
      post({ type: 'failed', id: request.id, error: packError(error) });
    } catch {
      // The error held something structured clone refuses; its message still says what happened.
      post({ type: 'failed', id: request.id, error: { name: 'Error', message: describeError(error) } });
    }
  } finally {
    running.delete(request.id);
    idleCollector.set(controller, false);
  }
}

loadPipeline().then(
  (pipeline) => {
    port.on('message', (request: WorkerRequest) => {
      switch (request.type) {
        case 'run':
          void run(pipeline, request);
          break;
        case 'cancel':
          running.get(request.id)?.abort();
          break;
        case 'evict':
          pipeline.evict(request.cacheKey);
          break;
        case 'close':
          pipeline.close().then(
            () => post({ type: 'closed' }),
            (error: unknown) => post({ type: 'closed', error: describeError(error) }),
          );
          break;
      }
    });
    post({ type: 'ready', stages: pipeline.stages });
  },
  (error: unknown) => post({ type: 'load-failed', error: packError(error) }),
);
