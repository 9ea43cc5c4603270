import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError } from '@aiaa/core';
import { ENTITIES, MIGRATIONS, databaseOptions } from './database.options';

describe('the committed migrations', () => {
  it('create exactly the schema the entities describe (what migration:generate would find: nothing)', async () => {
    const dataSource = new DataSource({
      type: 'sqlite',
      database: ':memory:',
      entities: ENTITIES,
      migrations: MIGRATIONS,
    });
    await dataSource.initialize();
    try {
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
    });
  });

  it('rejects an unknown scheme with a ConfigError naming --db and the scheme', () => {
    expect(() => databaseOptions('redis://x', '/ws')).toThrow(ConfigError);
    expect(() => databaseOptions('redis://x', '/ws')).toThrow(/--db.*'redis'/);
  });
});
