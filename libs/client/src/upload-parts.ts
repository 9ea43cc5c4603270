import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A file part for a multipart upload (`datapoint`, `image`, `image0`…, `config`, `data`), with the file name the
 * server is told. From a path the file is read as it is sent, never whole into memory; bytes are copied once.
 * @param filename - default: the path's base name, or `upload` for bytes.
 * @throws the file system's error naming the path (ENOENT, EACCES), or Error for a path that is not a file.
 */
export async function filePart(source: string | Uint8Array, filename?: string): Promise<File> {
  if (typeof source === 'string') {
    // Checked first: openAsBlob's own error does not say which file or why.
    if (!(await fs.promises.stat(source)).isFile()) {
      throw new Error(`${source}: not a file`);
    }
    return new File([await fs.openAsBlob(source)], filename ?? path.basename(source));
  }
  return new File([source], filename ?? 'upload');
}

/**
 * The body serializer of `@aiaa/client`: the server's uploads are all `multipart/form-data`, so a body object
 * becomes a form, one part per key: Blobs (and Files, with their names) as file parts, strings as they are,
 * anything else (the `params` object) as JSON text. Keys set to `undefined` are left out; a FormData passes as is.
 * @throws TypeError for a body that is not an object of parts.
 */
export function formDataOf(body: unknown): FormData {
  if (body instanceof FormData) {
    return body;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError(`request body: expected an object of multipart parts, got ${JSON.stringify(body)}`);
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined) {
      continue;
    }
    if (value instanceof Blob) {
      form.append(name, value, value instanceof File ? value.name : name);
    } else {
      form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}
