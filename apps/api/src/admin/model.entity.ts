import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One registered model: its name and which of its versions serves. The versions are {@link ModelVersionEntity}. */
@Entity('model')
export class ModelEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_model_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /**
   * The name lowercased: names that differ only by case would share a folder on a case-insensitive file system, so
   * one model holds each key.
   */
  @Index('IDX_model_name_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  nameKey!: string;

  /** The version that serves (`models/<name>/<activeVersion>`). */
  @Column({ type: 'integer' })
  activeVersion!: number;

  /** The highest version number given so far: numbers are never reused, even after a prune or a delete. */
  @Column({ type: 'integer' })
  latestVersion!: number;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
