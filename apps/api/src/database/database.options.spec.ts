import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ConfigError } from '@aiaa/core';
import { startPostgres, type PostgresServer } from '../../test/support/postgres-server';
import { ENTITIES, MIGRATIONS, databaseOptions } from './database.options';

describe.each(['sqlite', 'postgres'] as const)('the committed migrations on %s', (dialect) => {
  let postgres: PostgresServer | undefined;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      postgres = await startPostgres();
    }
  }, 60_000);

  afterAll(() => postgres?.stop());

  const optionsOf = async (database: string): Promise<DataSourceOptions> =>
    postgres
      ? { type: 'postgres', url: await postgres.createDatabase(database), entities: ENTITIES, migrations: MIGRATIONS }
      : { type: 'sqlite', database: ':memory:', entities: ENTITIES, migrations: MIGRATIONS };

  it('create exactly the schema the entities describe (what migration:generate would find: nothing)', async () => {
    const dataSource = new DataSource(await optionsOf('schema_check'));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('undo and redo each step: down to nothing, up again to the same schema', async () => {
    const dataSource = new DataSource(await optionsOf('down_up'));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      for (let step = 0; step < MIGRATIONS.length; step++) {
        await dataSource.undoLastMigration();
      }
      const left = await dataSource.createQueryRunner().getTables(['model', 'model_version', 'datastore_image']);
      expect(left.map((table) => table.name)).toEqual([]);
      await dataSource.runMigrations();
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('databaseOptions(--db)', () => {
  it('reads sqlite:<file> and plain paths as SQLite files relative to the workspace, never synchronize', () => {
    expect(databaseOptions('sqlite:aiaa.sqlite', '/ws')).toMatchObject({
      type: 'sqlite',
      database: path.resolve('/ws', 'aiaa.sqlite'),
      synchronize: false,
      migrationsRun: true,
    });
    expect(databaseOptions('/abs/registry.db', '/ws')).toMatchObject({ type: 'sqlite', database: '/abs/registry.db' });
    expect(databaseOptions('sqlite::memory:', '/ws')).toMatchObject({ type: 'sqlite', database: ':memory:' });
  });

  it('passes postgres:// URLs to the postgres driver', () => {
    expect(databaseOptions('postgres://u:p@db:5432/aiaa', '/ws')).toMatchObject({
      type: 'postgres',
      url: 'postgres://u:p@db:5432/aiaa',
      migrationsRun: false,
    });
  });

  it('rejects an unknown scheme with a ConfigError naming --db and the scheme', () => {
    expect(() => databaseOptions('redis://x', '/ws')).toThrow(ConfigError);
    expect(() => databaseOptions('redis://x', '/ws')).toThrow(/--db.*'redis'/);
  });
});
