import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { CreateModel1764060000000 } from './1764060000000-CreateModel';

/** A row of the single-version `model` table, as this migration reads it. */
interface SingleVersionRow {
  id: number;
  name: string;
  type: string;
  version: string;
  labels: string;
  description: string;
  config: string;
  engine: string;
  dir: string;
  configFile: string;
  modelFile: string | null;
  sizeBytes: number;
  sha256: string;
  createdAt: string | Date;
  updatedAt: string | Date;
}

/**
 * Model versions: `model` keeps a name and its active version, `model_version` one row per immutable version. Each
 * model of the single-version table becomes version 1 (its files move to `models/<name>/1/` at boot). Written with
 * TypeORM's schema API and query builder, so that each driver writes its own SQL.
 */
export class ModelVersions1766100000000 implements MigrationInterface {
  name = 'ModelVersions1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { createDate, createDateDefault, updateDate, updateDateDefault } =
      queryRunner.connection.driver.mappedDataTypes;
    await queryRunner.dropIndex('model', 'IDX_model_name');
    await queryRunner.renameTable('model', 'model_single_version');
    await queryRunner.createTable(
      new Table({
        name: 'model',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'nameKey', type: 'varchar', length: '64' },
          { name: 'activeVersion', type: 'integer' },
          { name: 'latestVersion', type: 'integer' },
          { name: 'createdAt', type: String(createDate), default: createDateDefault },
          { name: 'updatedAt', type: String(updateDate), default: updateDateDefault },
        ],
      }),
    );
    await queryRunner.createIndex(
      'model',
      new TableIndex({ name: 'IDX_model_name', columnNames: ['name'], isUnique: true }),
    );
    await queryRunner.createIndex(
      'model',
      new TableIndex({ name: 'IDX_model_name_key', columnNames: ['nameKey'], isUnique: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'model_version',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'modelId', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'configVersion', type: 'varchar', length: '64' },
          { name: 'labels', type: 'text' },
          { name: 'description', type: 'text', default: "''" },
          { name: 'config', type: 'text' },
          { name: 'engine', type: 'varchar', length: '16' },
          { name: 'configFile', type: 'varchar', length: '512' },
          { name: 'modelFile', type: 'varchar', length: '512', isNullable: true },
          { name: 'sizeBytes', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'origin', type: 'varchar', length: '16' },
          { name: 'clientAddress', type: 'varchar', length: '64', isNullable: true },
          { name: 'clientAuth', type: 'varchar', length: '16', isNullable: true },
          { name: 'sourceFile', type: 'varchar', length: '256', isNullable: true },
          { name: 'createdAt', type: String(createDate), default: createDateDefault },
        ],
      }),
    );
    await queryRunner.createIndex(
      'model_version',
      new TableIndex({ name: 'IDX_model_version_number', columnNames: ['modelId', 'version'], isUnique: true }),
    );
    await queryRunner.createForeignKey(
      'model_version',
      new TableForeignKey({
        name: 'FK_model_version_model',
        columnNames: ['modelId'],
        referencedTableName: 'model',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await copySingleVersionRows(queryRunner);
    await queryRunner.dropTable('model_single_version');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to one row per model: the active version's fields. Files stay in their version folders.
    const c = columnOf(queryRunner);
    const select = queryRunner.manager.createQueryBuilder().from('model', 'm');
    select.innerJoin(
      'model_version',
      'v',
      `${c('v', 'modelId')} = ${c('m', 'id')} AND ${c('v', 'version')} = ${c('m', 'activeVersion')}`,
    );
    select.select(c('m', 'name'), 'name');
    for (const column of ['createdAt', 'updatedAt']) {
      select.addSelect(c('m', column), column);
    }
    for (const column of ['version', 'type', 'configVersion', 'labels', 'description', 'config', 'engine']) {
      select.addSelect(c('v', column), column);
    }
    for (const column of ['configFile', 'modelFile', 'sizeBytes', 'sha256']) {
      select.addSelect(c('v', column), column);
    }
    const rows: Record<string, unknown>[] = await select.getRawMany();
    await queryRunner.dropTable('model_version');
    await queryRunner.dropTable('model');
    await new CreateModel1764060000000().up(queryRunner);
    for (const row of rows) {
      await insertRow(queryRunner, 'model', {
        name: row['name'],
        type: row['type'],
        version: row['configVersion'],
        labels: row['labels'],
        description: row['description'],
        config: row['config'],
        engine: row['engine'],
        dir: `models/${String(row['name'])}/${String(row['version'])}`,
        configFile: row['configFile'],
        modelFile: row['modelFile'],
        sizeBytes: row['sizeBytes'],
        sha256: row['sha256'],
        createdAt: row['createdAt'],
        updatedAt: row['updatedAt'],
      });
    }
  }
}

/**
 * Each single-version row becomes a model with version 1. Names that differ only by case could be registered side by
 * side before; the second keeps its files and rows, with a key of its own that no new name can take.
 */
async function copySingleVersionRows(queryRunner: QueryRunner): Promise<void> {
  const c = columnOf(queryRunner);
  const rows: SingleVersionRow[] = await queryRunner.manager
    .createQueryBuilder()
    .select('*')
    .from('model_single_version', 's')
    .orderBy(c('s', 'id'), 'ASC')
    .getRawMany();
  const keys = new Set<string>();
  for (const row of rows) {
    const lower = row.name.toLowerCase();
    const nameKey = keys.has(lower) ? `${lower.slice(0, 50)}#${row.id}` : lower;
    keys.add(nameKey);
    await insertRow(queryRunner, 'model', {
      name: row.name,
      nameKey,
      activeVersion: 1,
      latestVersion: 1,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
    const created: { id: number } | undefined = await queryRunner.manager
      .createQueryBuilder()
      .select(c('m', 'id'), 'id')
      .from('model', 'm')
      .where(`${c('m', 'name')} = :name`, { name: row.name })
      .getRawOne();
    const modelId = Number(created?.id);
    await insertRow(queryRunner, 'model_version', {
      modelId,
      version: 1,
      type: row.type,
      configVersion: row.version,
      labels: row.labels,
      description: row.description,
      config: row.config,
      engine: row.engine,
      configFile: row.configFile,
      modelFile: row.modelFile,
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      origin: 'migrated',
      createdAt: row.updatedAt,
    });
  }
}

/** `alias.column` quoted by the driver: PostgreSQL folds unquoted camelCase names to lower case. */
function columnOf(queryRunner: QueryRunner): (alias: string, column: string) => string {
  const { driver } = queryRunner.connection;
  return (alias, column) => `${driver.escape(alias)}.${driver.escape(column)}`;
}

/**
 * `INSERT INTO table (columns) VALUES (parameters)` in the driver's own quoting and parameter style. Migrations write
 * rows without the entities, which describe the schema as it is now, not as it was at this step.
 */
async function insertRow(queryRunner: QueryRunner, table: string, row: Record<string, unknown>): Promise<void> {
  const { driver } = queryRunner.connection;
  const columns = Object.keys(row);
  const names = columns.map((column) => driver.escape(column)).join(', ');
  const parameters = columns.map((column, index) => driver.createParameter(column, index)).join(', ');
  await queryRunner.query(`INSERT INTO ${driver.escape(table)} (${names}) VALUES (${parameters})`, Object.values(row));
}
