import { imageParts } from '../../../upload/image-parts';

/** The multipart request body of every inference endpoint, as the official clients send it. */
export const INFERENCE_PARTS = imageParts({
  params: 'JSON text: `{}`, `{"points": [[x,y,z],...]}`, `{"foreground": [...], "background": [...]}`',
  files: { datapoint: 'The image (NIfTI); the C++ client and OHIF name it `image`' },
});
