import { type DicomwebSeries, type MedicalImage, readNiftiGrid } from '@aiaa/core';
import type { ImageGrid } from '../datastore/datastore-files';

/** Where the image of one `/infer` request comes from. */
export type ImageSource =
  | { readonly kind: 'file'; readonly path: string; readonly name: string }
  | { readonly kind: 'session'; readonly id: string; readonly path: string }
  | { readonly kind: 'datastore'; readonly id: string; readonly path: string }
  /** A series of the DICOMweb server, its volume from the series cache (shared: a run takes a copy). */
  | { readonly kind: 'series'; readonly id: string; readonly image: MedicalImage; readonly series: DicomwebSeries };

/** How errors name the image: the client's file, the session, the datastore id or the series, never a server path. */
export function describeSource(source: ImageSource): string {
  switch (source.kind) {
    case 'file':
      return source.name;
    case 'session':
      return `session ${source.id}`;
    case 'datastore':
      return `datastore image '${source.id}'`;
    case 'series':
      return `series ${source.id} of the DICOMweb server`;
  }
}

/** The grid of the request's image: the volume's for a series, else its file header's (the voxels are not read). */
export async function gridOfSource(source: ImageSource): Promise<ImageGrid> {
  if (source.kind === 'series') {
    return { sizeIjk: source.image.sizeIjk, affine: source.image.affine };
  }
  return readNiftiGrid(source.path, describeSource(source));
}
