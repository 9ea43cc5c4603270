import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ConfigError } from '@aiaa/core';
import { ModelVersionEntity } from '../admin/model-version.entity';
import { ModelEntity } from '../admin/model.entity';
import { CreateModel1764060000000 } from '../migrations/1764060000000-CreateModel';
import { CreateDatastore1766000000000 } from '../migrations/1766000000000-CreateDatastore';
import { ModelVersions1766100000000 } from '../migrations/1766100000000-ModelVersions';
import { DatastoreImageEntity } from '../monailabel/datastore/datastore-image.entity';
import { DatastoreLabelEntity } from '../monailabel/datastore/datastore-label.entity';

/** Every entity of the app. */
export const ENTITIES = [ModelEntity, ModelVersionEntity, DatastoreImageEntity, DatastoreLabelEntity];

/** Every committed migration, oldest first; they run at boot (`synchronize` is off). */
export const MIGRATIONS = [CreateModel1764060000000, CreateDatastore1766000000000, ModelVersions1766100000000];

/**
 * TypeORM options for `--db`: `sqlite:<file>` or a plain path is an SQLite file (relative to the workspace);
 * `postgres://…` and `mysql://…` URLs go to those drivers (installed separately).
 * @throws ConfigError for an unknown scheme.
 */
export function databaseOptions(db: string, workspace: string): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false } as const;
  const scheme = /^([a-z][a-z0-9+]*):\/\//i.exec(db)?.[1]?.toLowerCase();
  if (scheme === undefined || db.startsWith('sqlite:')) {
    const file = db.replace(/^sqlite:(\/\/)?/, '');
    return { ...common, type: 'sqlite', database: file === ':memory:' ? file : path.resolve(workspace, file) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // Migrations run after connecting, one instance at a time ({@link DatabaseMigrations}); a server that does not
    // answer fails the request (503) after 5 s instead of holding it forever.
    return {
      ...common,
      type: 'postgres',
      url: db,
      migrationsRun: false,
      extra: { connectionTimeoutMillis: 5000 },
    };
  }
  if (scheme === 'mysql') {
    return { ...common, type: 'mysql', url: db };
  }
  throw new ConfigError(
    '--db',
    `unsupported database URL scheme '${scheme}' (use sqlite:<file>, postgres:// or mysql://)`,
  );
}
