import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseWrites } from '../database/database-writes';
import { ModelEntity } from './model.entity';

/** The fields of a model version as the registry writes them. */
export type ModelVersion = Omit<ModelEntity, 'id' | 'createdAt' | 'updatedAt'>;

/** Model rows: only I/O, one method per question; writes run in a transaction, in the queue of {@link DatabaseWrites}. */
@Injectable()
export class ModelRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DatabaseWrites) private readonly writes: DatabaseWrites,
  ) {}

  findByName(name: string): Promise<ModelEntity | null> {
    return this.dataSource.getRepository(ModelEntity).findOneBy({ name });
  }

  /** Every row, by name. */
  list(): Promise<ModelEntity[]> {
    return this.dataSource.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
  }

  /**
   * Inserts the model or replaces its version (keeping `createdAt`), in one transaction. `inTransaction` runs inside
   * it after the write: when it throws, the row is rolled back (the registry moves files there).
   */
  upsertVersion(version: ModelVersion, inTransaction?: (row: ModelEntity) => Promise<void>): Promise<ModelEntity> {
    return this.writes.run(() =>
      this.dataSource.transaction(async (manager: EntityManager) => {
        const repository = manager.getRepository(ModelEntity);
        const existing = await repository.findOneBy({ name: version.name });
        const row = await repository.save(existing ? repository.merge(existing, version) : repository.create(version));
        await inTransaction?.(row);
        return row;
      }),
    );
  }

  /** Deletes the row; `inTransaction` runs before the commit (a throw keeps the row). Returns whether a row existed. */
  deleteByName(name: string, inTransaction?: () => Promise<void>): Promise<boolean> {
    return this.writes.run(() =>
      this.dataSource.transaction(async (manager: EntityManager) => {
        const result = await manager.getRepository(ModelEntity).delete({ name });
        await inTransaction?.();
        return (result.affected ?? 0) > 0;
      }),
    );
  }
}
