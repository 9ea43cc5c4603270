import { imageParts } from '../../../upload/image-parts';

/**
 * The parts of `PUT /session/`: one image, or the slices of a DICOM series, as AIAA's clients send them (`image`,
 * `image0..N`) or as MONAI Label's (`files`, with a `client_id` field). A JSON body `{"dicom": {...}}` (a series of
 * the PACS) is read by the session service before any part is; any other body that is not multipart is refused.
 */
export const SESSION_PARTS = imageParts({
  params: 'JSON text, `{}`',
  files: {
    image: 'A NIfTI image, or one DICOM file',
    image0: 'First DICOM slice; image1, image2... follow',
    files: "MONAI Label's form: one NIfTI image or DICOM file, or one DICOM slice per `files` part",
  },
  otherFiles: ['files'],
  fields: { client_id: "MONAI Label's client id (not used)" },
  series: true,
});
