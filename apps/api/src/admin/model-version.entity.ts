import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ModelEntity } from './model.entity';

/** How a version came to be: `PUT /admin/model`, a folder found at boot, or the move from the single-version layout. */
export type VersionOrigin = 'upload' | 'folder' | 'migrated';

/**
 * One immutable version of a model: the files in `models/<name>/<version>/`, the config they were uploaded with, and
 * who sent them from where.
 */
@Entity('model_version')
@Index('IDX_model_version_number', ['modelId', 'version'], { unique: true })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  modelId!: number;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'modelId', foreignKeyConstraintName: 'FK_model_version_model' })
  model?: ModelEntity;

  /** 1, 2, 3…: the folder name under `models/<name>/`. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  /** The config's own `version` field (AIAA's `/v1/models` `version`), as a string. */
  @Column({ type: 'varchar', length: 64 })
  configVersion!: string;

  @Column({ type: 'simple-json' })
  labels!: string[];

  @Column({ type: 'text', default: '' })
  description!: string;

  /** `config_aiaa.json` as uploaded (JSON text). */
  @Column({ type: 'text' })
  config!: string;

  /** `AIAA`, `TRITON` or `native`. */
  @Column({ type: 'varchar', length: 16 })
  engine!: string;

  /** The config file, relative to the version folder. */
  @Column({ type: 'varchar', length: 512 })
  configFile!: string;

  /** The model file, relative to the version folder; null for pipeline and plugin models. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  modelFile!: string | null;

  /** Bytes of every file in the version folder. */
  @Column({ type: 'integer' })
  sizeBytes!: number;

  /** SHA-256 of the model file (of the config when there is no model file), hex. */
  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 16 })
  origin!: VersionOrigin;

  /** The client address of the upload. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientAddress!: string | null;

  /** How the upload was let in: `admin_hosts` (its address) or `admin_token`. The token itself is never stored. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  clientAuth!: string | null;

  /** The file name the client sent the model under (`model.pt`, `bundle.zip`). */
  @Column({ type: 'varchar', length: 256, nullable: true })
  sourceFile!: string | null;

  @CreateDateColumn()
  createdAt!: Date;
}
