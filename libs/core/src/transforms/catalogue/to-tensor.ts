import { z } from 'zod';
import { keyArgs, resolveKeys } from '../args';
import { defineTransform } from '../transform';

/**
 * MONAI's ToTensord / ToNumpyd / EnsureTyped: in MONAI they change the container (numpy array ↔ torch tensor). Here
 * voxels are always one typed array, so the step only checks that its keys exist (a typo fails at the first request
 * with the image names, instead of silently doing nothing).
 */
export const toTensor = defineTransform({
  name: 'ToTensord',
  summary: 'Accepted for MONAI configs: images are already arrays here, so it changes nothing.',
  aliases: [
    'monai.transforms.ToTensord',
    'ToNumpyd',
    'monai.transforms.ToNumpyd',
    'EnsureTyped',
    'monai.transforms.EnsureTyped',
  ],
  args: z.object({ ...keyArgs }),
  apply(ctx, a) {
    for (const key of resolveKeys(a)) {
      ctx.getImage(key);
    }
  },
});
