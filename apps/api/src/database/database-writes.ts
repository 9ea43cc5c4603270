import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Serializer } from '@aiaa/core';
import { RegistryLock } from './registry-lock';

/**
 * The one queue of database writes. SQLite runs on TypeORM's single connection: a transaction started while another
 * is open fails ("cannot start a transaction within a transaction"), and a plain statement sent meanwhile joins the
 * open transaction and shares its fate. Every repository that writes (the model registry, the datastore) takes its
 * turn here.
 */
@Injectable()
export class DatabaseWrites {
  readonly #queue = new Serializer();

  /** Runs `work` once every write queued before it has settled. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.#queue.run('db', work);
  }
}

/** The lock the migrations run under: not a model name (those have no `#`). */
const MIGRATIONS_LOCK = '#migrations';

/**
 * Runs the migrations on PostgreSQL before anything reads the registry, under an advisory lock: instances started
 * together on an empty database migrate it once, the others wait and find nothing left to run. SQLite serves one
 * process and migrates as it connects (`migrationsRun`).
 */
@Injectable()
export class DatabaseMigrations implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RegistryLock) private readonly lock: RegistryLock,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.dataSource.options.migrationsRun !== true) {
      await this.lock.run(MIGRATIONS_LOCK, () => this.dataSource.runMigrations({ transaction: 'all' }));
    }
  }
}

/** Provides {@link DatabaseWrites} and {@link RegistryLock} to every module, and migrates PostgreSQL at start. */
@Global()
@Module({ providers: [DatabaseWrites, RegistryLock, DatabaseMigrations], exports: [DatabaseWrites, RegistryLock] })
export class DatabaseModule {}
