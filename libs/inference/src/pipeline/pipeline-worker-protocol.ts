import type { EngineName } from '../engines';
import type { ContextMessage, ErrorMessage } from './context-transfer';
import type { ModelPipeline, PipelineStage, StageTiming, StageTimings } from './model-pipeline';

/**
 * Everything a worker needs to build a model's pipeline by itself: plain data (structured-cloneable), since classes
 * and closures cannot cross threads.
 */
export interface PipelineSpec {
  /** The registry name of the model. */
  readonly modelName: string;
  /** `config_aiaa.json` as parsed JSON. */
  readonly configJson: unknown;
  /** The uploaded model file (`config.getPath()`), if any. */
  readonly modelPath?: string;
  /** The model's folder (where its config and files live). */
  readonly modelDir?: string;
  /** The workspace, for plugins in `<workspace>/lib`. */
  readonly workspaceDir?: string;
  readonly engine: EngineName;
  /** Anything else the factory understands (thread counts, cache limits), structured-cloneable. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Builds a pipeline inside a worker: the export of the factory module (`createPipeline` by default). */
export type PipelineFactory = (spec: PipelineSpec) => Promise<ModelPipeline> | ModelPipeline;

/** Which module builds the pipeline in each worker: an absolute path (`.ts` needs the loader hook in `execArgv`). */
export interface PipelineFactoryRef {
  readonly module: string;
  /** Default `createPipeline`. */
  readonly exportName?: string;
}

export interface WorkerData {
  readonly factory: PipelineFactoryRef;
  readonly spec: PipelineSpec;
}

export type WorkerRequest =
  | { readonly type: 'run'; readonly id: number; readonly ctx: ContextMessage; readonly cacheKey?: string }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'evict'; readonly cacheKey: string }
  | { readonly type: 'close' };

export type WorkerReply =
  | { readonly type: 'ready'; readonly stages: readonly PipelineStage[] }
  | { readonly type: 'load-failed'; readonly error: ErrorMessage }
  | {
      readonly type: 'stage';
      readonly id: number;
      readonly stage: PipelineStage;
      readonly index: number;
      readonly total: number;
    }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly ctx: ContextMessage;
      readonly timingsMs: StageTimings;
      readonly stages: readonly StageTiming[];
      readonly cacheHit: boolean;
    }
  | { readonly type: 'failed'; readonly id: number; readonly error: ErrorMessage }
  | { readonly type: 'closed'; readonly error?: string };
