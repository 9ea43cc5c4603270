import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BIGINT_NUMBER } from './bigint-number';

/** One label of a datastore image under a tag (`final` from annotators, `original` from inference). */
@Entity('datastore_label')
@Index('IDX_datastore_label_image_tag', ['imageName', 'tag'], { unique: true })
export class DatastoreLabelEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The image id it labels. */
  @Column({ type: 'varchar', length: 128 })
  imageName!: string;

  @Column({ type: 'varchar', length: 64 })
  tag!: string;

  /** The suffix of the uploaded file (`.nii.gz`, `.seg.nrrd`, ...), kept on the stored file. */
  @Column({ type: 'varchar', length: 16 })
  extension!: string;

  @Column({ type: 'bigint', transformer: BIGINT_NUMBER })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The save's `params` (`label_info`, `model`, `client_id`, or an inference's `{model, params}`), as JSON. */
  @Column({ type: 'simple-json' })
  info!: Record<string, unknown>;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
