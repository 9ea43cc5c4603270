import { Global, Injectable, Module } from '@nestjs/common';
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

/** Provides {@link DatabaseWrites} and {@link RegistryLock} to every module. */
@Global()
@Module({ providers: [DatabaseWrites, RegistryLock], exports: [DatabaseWrites, RegistryLock] })
export class DatabaseModule {}
