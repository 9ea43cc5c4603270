import { monaiLabelParts } from '../../monailabel-parts';

/** `PUT /datastore/` and `PUT /datastore/image`: the image and the client's params. */
export const IMAGE_PARTS = monaiLabelParts({
  params: 'JSON text: `{"client_id": ...}`, kept as the image info',
  files: { file: { description: 'The image: NIfTI (`.nii.gz` or `.nii`); its suffix is kept', required: true } },
});

/** `PUT /datastore/label`: the label and the client's params. */
export const LABEL_PARTS = monaiLabelParts({
  params: 'JSON text: `{"label_info": [{"name", "idx"}], "model", "client_id"}`, kept as the label info',
  files: {
    label: {
      description:
        'The label: NIfTI on the image grid, NRRD (`.nrrd`, `.seg.nrrd`), or `.bin` (raw uint8, x fastest, stored as NIfTI)',
      required: true,
    },
  },
});
