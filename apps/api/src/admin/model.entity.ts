import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One registered model: its `/v1/models` fields, its stored config and where its files are. */
@Entity('model')
export class ModelEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_model_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 64 })
  version!: string;

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

  /** The model folder, relative to the workspace (`models/<name>`). */
  @Column({ type: 'varchar', length: 512 })
  dir!: string;

  /** The config file, relative to `dir`. */
  @Column({ type: 'varchar', length: 512 })
  configFile!: string;

  /** The model file, relative to `dir`; null for pipeline and plugin models. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  modelFile!: string | null;

  /** Bytes of every file in `dir`. */
  @Column({ type: 'integer' })
  sizeBytes!: number;

  /** SHA-256 of the model file (of the config when there is no model file), hex. */
  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
