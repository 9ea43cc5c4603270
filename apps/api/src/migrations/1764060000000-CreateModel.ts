import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The model registry table (SQL as TypeORM generates it for SQLite; checked by `database/database.options.spec.ts`). */
export class CreateModel1764060000000 implements MigrationInterface {
  name = 'CreateModel1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "type" varchar(32) NOT NULL, "version" varchar(64) NOT NULL, "labels" text NOT NULL, "description" text NOT NULL DEFAULT (''), "config" text NOT NULL, "engine" varchar(16) NOT NULL, "dir" varchar(512) NOT NULL, "configFile" varchar(512) NOT NULL, "modelFile" varchar(512), "sizeBytes" integer NOT NULL, "sha256" varchar(64) NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_model_name" ON "model" ("name") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_model_name"`);
    await queryRunner.query(`DROP TABLE "model"`);
  }
}
