import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseWrites } from '../database/database-writes';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';
import { modelNameKey } from './model-name';

/** The columns of a version as the registry writes them (`createdAt` only when it is known from elsewhere). */
export type NewVersion = Omit<ModelVersionEntity, 'id' | 'modelId' | 'model' | 'createdAt'> & { createdAt?: Date };

/** A model with one of its versions. */
export interface ModelWithVersion {
  readonly model: ModelEntity;
  readonly version: ModelVersionEntity;
}

/**
 * Model and version rows: only I/O, one method per question; every write runs in a transaction, in the queue of
 * {@link DatabaseWrites}, and a callback run inside it (the registry moves files there) rolls the write back when it
 * throws.
 */
@Injectable()
export class ModelRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DatabaseWrites) private readonly writes: DatabaseWrites,
  ) {}

  findModel(name: string): Promise<ModelEntity | null> {
    return this.dataSource.getRepository(ModelEntity).findOneBy({ name });
  }

  /** The model whose name equals `name` but for case. */
  findModelByKey(name: string): Promise<ModelEntity | null> {
    return this.dataSource.getRepository(ModelEntity).findOneBy({ nameKey: modelNameKey(name) });
  }

  /** Every model, by name. */
  listModels(): Promise<ModelEntity[]> {
    return this.dataSource.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
  }

  /** The versions of a model, oldest first. */
  listVersions(modelId: number): Promise<ModelVersionEntity[]> {
    return this.dataSource.getRepository(ModelVersionEntity).find({ where: { modelId }, order: { version: 'ASC' } });
  }

  findVersion(modelId: number, version: number): Promise<ModelVersionEntity | null> {
    return this.dataSource.getRepository(ModelVersionEntity).findOneBy({ modelId, version });
  }

  /**
   * The id of each model's active version row, by model name: one join of two narrow columns, cheap enough to ask
   * every second (a model whose active row is missing is left out).
   */
  async activeVersionIds(): Promise<Map<string, number>> {
    const rows: { name: string; id: number | string }[] = await this.dataSource
      .getRepository(ModelEntity)
      .createQueryBuilder('m')
      .innerJoin(ModelVersionEntity, 'v', 'v.modelId = m.id AND v.version = m.activeVersion')
      .select('m.name', 'name')
      .addSelect('v.id', 'id')
      .getRawMany();
    return new Map(rows.map((row) => [row.name, Number(row.id)]));
  }

  /** Every model with its active version, by name (a model whose active row is missing is left out). */
  async listActive(): Promise<ModelWithVersion[]> {
    const models = await this.listModels();
    const versions = await this.dataSource.getRepository(ModelVersionEntity).find();
    const byKey = new Map(versions.map((v) => [`${v.modelId}:${v.version}`, v]));
    return models.flatMap((model) => {
      const version = byKey.get(`${model.id}:${model.activeVersion}`);
      return version ? [{ model, version }] : [];
    });
  }

  /**
   * Adds version `row.version` of model `name`, creating the model when it is new; `activate` makes it the serving
   * version (a new model's first version always is). `latestVersion` never goes down.
   */
  addVersion(
    name: string,
    row: NewVersion,
    options: { readonly activate: boolean },
    inTransaction?: () => Promise<void>,
  ): Promise<ModelWithVersion> {
    return this.#transaction(async (manager) => {
      const models = manager.getRepository(ModelEntity);
      const existing = await models.findOneBy({ name });
      const model = await models.save(
        existing
          ? models.merge(existing, {
              latestVersion: Math.max(existing.latestVersion, row.version),
              activeVersion: options.activate ? row.version : existing.activeVersion,
            })
          : models.create({
              name,
              nameKey: modelNameKey(name),
              activeVersion: row.version,
              latestVersion: row.version,
            }),
      );
      const versions = manager.getRepository(ModelVersionEntity);
      const version = await versions.save(versions.create({ ...row, modelId: model.id }));
      await inTransaction?.();
      return { model, version };
    });
  }

  /** Makes `version` the serving version of the model. */
  activate(modelId: number, version: number): Promise<ModelEntity> {
    return this.#transaction(async (manager) => {
      const models = manager.getRepository(ModelEntity);
      const model = await models.findOneByOrFail({ id: modelId });
      return models.save(models.merge(model, { activeVersion: version }));
    });
  }

  /** Records the engine a version was loaded on (`--engine` changed between starts). */
  async setEngine(versionId: number, engine: string): Promise<void> {
    await this.#transaction((manager) => manager.getRepository(ModelVersionEntity).update(versionId, { engine }));
  }

  /** Deletes one version row; `inTransaction` runs before the commit (a throw keeps the row). */
  deleteVersion(modelId: number, version: number, inTransaction?: () => Promise<void>): Promise<void> {
    return this.#transaction(async (manager) => {
      await manager.getRepository(ModelVersionEntity).delete({ modelId, version });
      await inTransaction?.();
    });
  }

  /** Deletes the model and its versions; `inTransaction` runs before the commit (a throw keeps the rows). */
  deleteModel(modelId: number, inTransaction?: () => Promise<void>): Promise<void> {
    return this.#transaction(async (manager) => {
      await manager.getRepository(ModelVersionEntity).delete({ modelId });
      await manager.getRepository(ModelEntity).delete({ id: modelId });
      await inTransaction?.();
    });
  }

  #transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writes.run(() => this.dataSource.transaction(work));
  }
}
