import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** A file part: bytes and the file name the client sends. */
export interface FilePart {
  readonly data: Buffer | Uint8Array | string;
  readonly filename: string;
  readonly type?: string;
}

/** `PUT /admin/model/{name}` as curl `-F config=@config_aiaa.json -F data=@model.onnx` sends it (real multipart). */
export function putModel(
  base: string,
  name: string,
  parts: { config?: FilePart | string; data?: FilePart; [extra: string]: FilePart | string | undefined },
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData();
  for (const [field, part] of Object.entries(parts)) {
    if (part === undefined) {
      continue;
    }
    if (typeof part === 'string') {
      form.append(field, part);
    } else {
      const bytes = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : part.data;
      form.append(field, new Blob([bytes], { type: part.type ?? 'application/octet-stream' }), part.filename);
    }
  }
  return fetch(`${base}/admin/model/${name}${options.query ?? ''}`, {
    method: 'PUT',
    body: form,
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** The config part as curl sends `-F "config=@config_aiaa.json;type=application/json"`. */
export function configPart(config: unknown): FilePart {
  return { data: JSON.stringify(config, null, 2), filename: 'config_aiaa.json', type: 'application/json' };
}

export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The JSON error body of the server. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  kind: string;
}

/** A config without a model file: its inference is the user class of {@link writePassThroughPlugin}. */
export function pluginConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'others', labels: [], inference: { name: 'pass_through.PassThrough', args: {} }, ...extra };
}

/** Writes `<workspace>/lib/pass_through.js`: an inference class that returns the context unchanged. */
export async function writePassThroughPlugin(workspace: string): Promise<void> {
  const lib = path.join(workspace, 'lib');
  await fs.mkdir(lib, { recursive: true });
  await fs.writeFile(
    path.join(lib, 'pass_through.js'),
    'exports.PassThrough = class PassThrough {\n  async inference(name, data) {\n    return data;\n  }\n};\n',
  );
}
