import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BIGINT_NUMBER } from './bigint-number';

/** One image of the local datastore: its id, the file it is kept in (`<id><extension>`) and what the client sent. */
@Entity('datastore_image')
export class DatastoreImageEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The image id clients use (`?image=`); a safe file name. */
  @Index('IDX_datastore_image_name', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  /** The suffix of the uploaded file (`.nii.gz`, `.nii`), kept on the stored file. */
  @Column({ type: 'varchar', length: 16 })
  extension!: string;

  @Column({ type: 'bigint', transformer: BIGINT_NUMBER })
  sizeBytes!: number;

  /** SHA-256 of the file, hex. */
  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The upload's `params` (client id and whatever else the client sent), as JSON. */
  @Column({ type: 'simple-json' })
  info!: Record<string, unknown>;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
