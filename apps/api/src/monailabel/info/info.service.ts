import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PacsUnavailableError } from '@aiaa/core';
import { ModelRuntimeService } from '../../runtime/model-runtime.service';
import { STRATEGIES } from '../activelearning/strategies';
import { Datastore } from '../datastore/datastore';
import { statsOf, type DatastoreStats } from '../datastore/datastore.service';
import { monaiLabelModelOf, type MonaiLabelModel } from './model-entry';

/** The server's name and version, as `GET /info/` gives them. */
const SERVER_NAME = 'AIAA server';
const SERVER_VERSION = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../../../package.json'), 'utf8')) as { version: string }
).version;

/** `GET /info/`: what MONAI Label's clients read to build their panels. No top-level `config` (3D Slicer refuses it). */
export interface MonaiLabelInfo {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  /** Every model's labels, in order of first appearance. */
  readonly labels: string[];
  readonly models: Record<string, MonaiLabelModel>;
  readonly trainers: Record<string, never>;
  readonly strategies: Record<string, { description: string }>;
  readonly scoring: Record<string, never>;
  readonly train_stats: Record<string, never>;
  readonly datastore: DatastoreStats;
}

/** Builds `GET /info/` from the loaded models and the datastore. */
@Injectable()
export class InfoService {
  readonly #logger = new Logger(InfoService.name);

  constructor(
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(Datastore) private readonly datastore: Datastore,
  ) {}

  async info(): Promise<MonaiLabelInfo> {
    const models = this.runtime.list();
    const labels = [...new Set(models.flatMap((model) => model.info.labels))];
    return {
      name: SERVER_NAME,
      description: 'AI-assisted annotation: the models of config_aiaa.json pipelines, over the MONAI Label API',
      version: SERVER_VERSION,
      labels,
      models: Object.fromEntries(models.map((model) => [model.info.name, monaiLabelModelOf(model.info)])),
      trainers: {},
      strategies: Object.fromEntries(
        Object.entries(STRATEGIES).map(([name, strategy]) => [name, { description: strategy.description }]),
      ),
      scoring: {},
      train_stats: {},
      datastore: await this.#datastoreStats(),
    };
  }

  /**
   * The datastore's counts. A PACS that cannot be listed does not take the models down with it: clients connect,
   * see counts of 0 and why, and the routes that need the PACS answer 503 themselves.
   */
  async #datastoreStats(): Promise<DatastoreStats> {
    try {
      return statsOf(await this.datastore.list());
    } catch (error) {
      if (!(error instanceof PacsUnavailableError)) {
        throw error;
      }
      this.#logger.warn(`GET /info/: datastore counts left out: ${error.message}`);
      return { ...statsOf([]), unavailable: error.message };
    }
  }
}
