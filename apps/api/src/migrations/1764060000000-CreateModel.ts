import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The model registry table of the single-version layout. Written with TypeORM's schema API, not SQL, so that each
 * driver (SQLite, PostgreSQL) writes its own DDL; `database/database.options.spec.ts` checks the result.
 */
export class CreateModel1764060000000 implements MigrationInterface {
  name = 'CreateModel1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { createDate, createDateDefault, updateDate, updateDateDefault } =
      queryRunner.connection.driver.mappedDataTypes;
    await queryRunner.createTable(
      new Table({
        name: 'model',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'version', type: 'varchar', length: '64' },
          { name: 'labels', type: 'text' },
          { name: 'description', type: 'text', default: "''" },
          { name: 'config', type: 'text' },
          { name: 'engine', type: 'varchar', length: '16' },
          { name: 'dir', type: 'varchar', length: '512' },
          { name: 'configFile', type: 'varchar', length: '512' },
          { name: 'modelFile', type: 'varchar', length: '512', isNullable: true },
          { name: 'sizeBytes', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'createdAt', type: String(createDate), default: createDateDefault },
          { name: 'updatedAt', type: String(updateDate), default: updateDateDefault },
        ],
      }),
    );
    await queryRunner.createIndex(
      'model',
      new TableIndex({ name: 'IDX_model_name', columnNames: ['name'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('model', 'IDX_model_name');
    await queryRunner.dropTable('model');
  }
}
