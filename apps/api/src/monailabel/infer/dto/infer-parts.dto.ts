import { monaiLabelParts } from '../../monailabel-parts';

/** The multipart body of `POST /infer/{model}`, as MONAI Label's clients send it. */
export const INFER_PARTS = monaiLabelParts({
  params:
    'JSON text: `result_extension` (.nrrd, .nii.gz, .nii), `result_dtype`, `result_compress`, `restore_label_idx`, ' +
    '`foreground`/`background` IJK clicks, one click list per label name with `label` (deepedit), `slice`, `roi`, ' +
    '`save_label`/`label_tag`; on a series of the DICOMweb server `save_seg` (store the result as a DICOM SEG) and ' +
    '`label_info` (`[{name, id}]`: segment names); other keys are ignored',
  files: {
    file: { description: 'The image itself (NIfTI), instead of `?image=`' },
    label: { description: 'A label on the image grid (NIfTI, or `.bin`: raw uint8), handed to the model as `label`' },
  },
});
