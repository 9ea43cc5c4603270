import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { Serializer } from '@aiaa/core';
import { AppConfig } from '../config/app-config';

/** Advisory locks held at once by one process: each holds a connection of its own pool for the whole write. */
const LOCK_CONNECTIONS = 8;
/** How long to wait for a new connection to PostgreSQL before the request fails (503). */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * One writer per model name, in this process and, on PostgreSQL, across every instance sharing the database: a
 * session-level advisory lock (`pg_advisory_lock`) on a connection held for the whole write (upload staged, version
 * folder moved in, loaded, row committed). The connections come from a small pool of their own, so that writes
 * holding locks never starve the queries they make of connections. A crashed instance's connections close and its
 * locks go with them: a lock never outlives its holder. SQLite serves one process: the in-process queue is the lock.
 */
@Injectable()
export class RegistryLock implements OnApplicationShutdown {
  readonly #local = new Serializer();
  readonly #pool: Pool | undefined;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.#pool = config.sharedDatabase
      ? new Pool({ connectionString: config.db, max: LOCK_CONNECTIONS, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
      : undefined;
    // An idle connection cut by a database restart: the next lock opens a new one.
    this.#pool?.on('error', () => undefined);
  }

  /** Runs `work` once every other holder of `key` (here or on another instance) has let go. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const pool = this.#pool;
    return this.#local.run(key, () => (pool ? advisory(pool, `aiaa:${key}`, work) : work()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#pool?.end();
  }
}

async function advisory<T>(pool: Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    // hashtext: a 32-bit key from the name; two names sharing a hash only wait for each other.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => (broken = true));
    }
  } finally {
    // A connection whose unlock failed is dropped, not reused: closing it releases whatever it still holds.
    client.release(broken);
  }
}
