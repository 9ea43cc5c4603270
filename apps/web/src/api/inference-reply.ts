import { parseServerTiming, type ServerTiming } from './server-timing';
import type { RawReply } from './http';

/** What an inference endpoint answered: the result params, the result image, the server's stage timings. */
export interface InferenceResult {
  /** The `params` part (or the whole JSON reply of a model that writes no image). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The result image (NIfTI) and its file name, when the model wrote one. */
  readonly image?: { readonly bytes: ArrayBuffer; readonly filename: string };
  readonly timings: readonly ServerTiming[];
}

/**
 * Reads an inference reply: multipart `params` + `image` (parsed by the browser's own multipart reader), plain JSON,
 * or the image alone. @throws Error naming what is missing when a multipart reply has no params part
 */
export async function readInferenceReply(reply: RawReply): Promise<InferenceResult> {
  const contentType = reply.header('Content-Type') ?? '';
  const timings = parseServerTiming(reply.header('Server-Timing'));
  if (contentType.startsWith('multipart/')) {
    const form = await new Response(reply.body, { headers: { 'Content-Type': contentType } }).formData();
    const params = form.get('params');
    if (typeof params !== 'string') {
      throw new Error('the reply has no params part');
    }
    const file = [...form.values()].find((value): value is File => typeof value !== 'string');
    return {
      params: JSON.parse(params) as Record<string, unknown>,
      ...(file ? { image: { bytes: await file.arrayBuffer(), filename: file.name } } : {}),
      timings,
    };
  }
  if (contentType.includes('json')) {
    return { params: JSON.parse(new TextDecoder().decode(reply.body)) as Record<string, unknown>, timings };
  }
  return { params: {}, image: { bytes: reply.body, filename: 'result.nii.gz' }, timings };
}
