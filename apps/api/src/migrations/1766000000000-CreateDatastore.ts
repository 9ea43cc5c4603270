import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * The datastore tables (images and their labels by tag). Written with TypeORM's schema API rather than SQL, so the
 * same migration builds the same tables on SQLite and PostgreSQL: column types and timestamp defaults come from the
 * connected driver. Checked against the entities by `database/database.options.spec.ts`.
 */
export class CreateDatastore1766000000000 implements MigrationInterface {
  name = 'CreateDatastore1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = queryRunner.connection.driver.mappedDataTypes;
    const common = (first: TableColumnOptions[]): TableColumnOptions[] => [
      { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      ...first,
      { name: 'extension', type: 'varchar', length: '16' },
      { name: 'sizeBytes', type: 'bigint' },
      { name: 'sha256', type: 'varchar', length: '64' },
      { name: 'info', type: 'text' },
      { name: 'createdAt', type: String(types.createDate), default: types.createDateDefault },
      { name: 'updatedAt', type: String(types.updateDate), default: types.updateDateDefault },
    ];
    await queryRunner.createTable(
      new Table({
        name: 'datastore_image',
        columns: common([{ name: 'name', type: 'varchar', length: '128' }]),
        indices: [new TableIndex({ name: 'IDX_datastore_image_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'datastore_label',
        columns: common([
          { name: 'imageName', type: 'varchar', length: '128' },
          { name: 'tag', type: 'varchar', length: '64' },
        ]),
        indices: [
          new TableIndex({
            name: 'IDX_datastore_label_image_tag',
            columnNames: ['imageName', 'tag'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('datastore_label');
    await queryRunner.dropTable('datastore_image');
  }
}
