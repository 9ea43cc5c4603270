import { postgresMissingReason, startPostgres, type PostgresServer } from './postgres-server';

/** The registry's database dialects the registry tests run on: SQLite (the default) and PostgreSQL. */
export const REGISTRY_DATABASES = ['sqlite', 'postgres'] as const;
export type RegistryDatabase = (typeof REGISTRY_DATABASES)[number];

/**
 * The `--db` setting of a `describe` block on `dialect`, for `useTestApp(() => ({ ...db(), ... }))`: nothing for
 * SQLite (the app's own file in its workspace); for PostgreSQL, a throwaway cluster with an empty database, started
 * in the block's `beforeAll` (call this before `useTestApp`, so that it runs first) and stopped after the block.
 * Without PostgreSQL installed, the PostgreSQL blocks fail saying how to install it.
 */
export function useRegistryDatabase(dialect: RegistryDatabase): () => { db?: string } {
  let postgres: PostgresServer | undefined;
  let url: string | undefined;
  if (dialect === 'postgres') {
    beforeAll(async () => {
      const missing = postgresMissingReason();
      if (missing) {
        throw new Error(`the PostgreSQL registry tests need PostgreSQL: ${missing}`);
      }
      postgres = await startPostgres();
      url = await postgres.createDatabase('registry');
    }, 60_000);
    afterAll(() => postgres?.stop());
  }
  return () => (url === undefined ? {} : { db: url });
}
