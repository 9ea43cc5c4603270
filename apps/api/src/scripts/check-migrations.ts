// Fails when the entities and the committed migrations disagree: runs every migration on an in-memory SQLite
// database, then asks TypeORM which statements would still be needed (what `migration:generate` would write).
// Run: node -r @swc-node/register apps/api/src/scripts/check-migrations.ts
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../database/database.options';

async function main(): Promise<void> {
  const dataSource = new DataSource({
    type: 'sqlite',
    database: ':memory:',
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const pending = await dataSource.driver.createSchemaBuilder().log();
  await dataSource.destroy();
  if (pending.upQueries.length > 0) {
    console.error('The entities need statements no migration has; add a migration with:');
    for (const query of pending.upQueries) {
      console.error(`  ${query.query}`);
    }
    process.exit(1);
  }
  console.log(`migrations match the entities (${MIGRATIONS.length} migration(s))`);
}

void main();
