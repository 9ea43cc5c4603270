import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseWrites } from '../../database/database-writes';
import { DatastoreImageEntity } from './datastore-image.entity';
import { DatastoreLabelEntity } from './datastore-label.entity';

/** The fields of an image row as the datastore writes them. */
export type ImageRow = Omit<DatastoreImageEntity, 'id' | 'createdAt' | 'updatedAt'>;
/** The fields of a label row as the datastore writes them. */
export type LabelRow = Omit<DatastoreLabelEntity, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Datastore rows: only I/O, one method per question. Writes run in a transaction, in the queue of
 * {@link DatabaseWrites}; `inTransaction` runs inside it after the write, and a throw there rolls the write back (the
 * datastore moves files there).
 */
@Injectable()
export class DatastoreRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DatabaseWrites) private readonly writes: DatabaseWrites,
  ) {}

  findImage(name: string): Promise<DatastoreImageEntity | null> {
    return this.dataSource.getRepository(DatastoreImageEntity).findOneBy({ name });
  }

  listImages(): Promise<DatastoreImageEntity[]> {
    return this.dataSource.getRepository(DatastoreImageEntity).find({ order: { name: 'ASC' } });
  }

  findLabel(imageName: string, tag: string): Promise<DatastoreLabelEntity | null> {
    return this.dataSource.getRepository(DatastoreLabelEntity).findOneBy({ imageName, tag });
  }

  /** Labels of one image, or of every image. */
  listLabels(imageName?: string): Promise<DatastoreLabelEntity[]> {
    return this.dataSource
      .getRepository(DatastoreLabelEntity)
      .find({ where: imageName === undefined ? {} : { imageName }, order: { imageName: 'ASC', tag: 'ASC' } });
  }

  /** Inserts the image or replaces its row (keeping `createdAt`); returns the row as it was before, if any. */
  upsertImage(row: ImageRow, inTransaction: () => Promise<void>): Promise<DatastoreImageEntity | null> {
    return this.#write(async (manager) => {
      const repository = manager.getRepository(DatastoreImageEntity);
      const existing = await repository.findOneBy({ name: row.name });
      const before = existing ? { ...existing } : null;
      await repository.save(existing ? repository.merge(existing, row) : repository.create(row));
      await inTransaction();
      return before;
    });
  }

  /** Deletes the image and its labels; returns the rows deleted (none when the image did not exist). */
  deleteImage(
    name: string,
    inTransaction: () => Promise<void>,
  ): Promise<{ image: DatastoreImageEntity | null; labels: DatastoreLabelEntity[] }> {
    return this.#write(async (manager) => {
      const image = await manager.getRepository(DatastoreImageEntity).findOneBy({ name });
      const labels = await manager.getRepository(DatastoreLabelEntity).findBy({ imageName: name });
      if (image) {
        await manager.getRepository(DatastoreLabelEntity).delete({ imageName: name });
        await manager.getRepository(DatastoreImageEntity).delete({ name });
        await inTransaction();
      }
      return { image, labels };
    });
  }

  /** Inserts the label or replaces its row; returns the row as it was before, if any. */
  upsertLabel(row: LabelRow, inTransaction: () => Promise<void>): Promise<DatastoreLabelEntity | null> {
    return this.#write(async (manager) => {
      const repository = manager.getRepository(DatastoreLabelEntity);
      const existing = await repository.findOneBy({ imageName: row.imageName, tag: row.tag });
      const before = existing ? { ...existing } : null;
      await repository.save(existing ? repository.merge(existing, row) : repository.create(row));
      await inTransaction();
      return before;
    });
  }

  /** Deletes one label (or every label of the image when `tag` is undefined); returns the rows deleted. */
  deleteLabels(imageName: string, tag: string | undefined): Promise<DatastoreLabelEntity[]> {
    return this.#write(async (manager) => {
      const repository = manager.getRepository(DatastoreLabelEntity);
      const where = tag === undefined ? { imageName } : { imageName, tag };
      const rows = await repository.findBy(where);
      await repository.delete(where);
      return rows;
    });
  }

  #write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writes.run(() => this.dataSource.transaction(work));
  }
}
