import { describeError } from '@aiaa/core';
import { type FileHandle, open } from 'node:fs/promises';
import type { ModelConfig } from '../../model-config';
import { ModelLoadError } from './onnx-engine';

/** `ModelProto.metadata_props` (onnx.proto): repeated `StringStringEntryProto { key = 1; value = 2 }`. */
const METADATA_PROPS_FIELD = 14;
/** A metadata entry larger than this is not metadata a server should read (labels, notes): refused. */
const MAX_ENTRY_BYTES = 1024 * 1024;
/** ModelProto has about ten top-level fields; a file listing many more is not one. */
const MAX_TOP_LEVEL_FIELDS = 10_000;

/**
 * The `metadata_props` (key → value) of an ONNX model file, read from the protobuf wire format field by field: the
 * graph (weights included) is skipped with one seek, so a large model costs a few small reads. onnxruntime's
 * JavaScript API does not expose custom metadata, hence this reader.
 *
 * @throws ModelLoadError naming the model and file when the file is not a readable ONNX protobuf.
 */
export async function readOnnxMetadata(modelName: string, modelPath: string): Promise<Record<string, string>> {
  const fail = (detail: string, cause?: unknown): ModelLoadError =>
    new ModelLoadError(modelName, modelPath, `cannot read its metadata: ${detail}`, cause ? { cause } : undefined);
  let file: FileHandle;
  try {
    file = await open(modelPath, 'r');
  } catch (error) {
    throw fail(describeError(error), error);
  }
  try {
    const size = (await file.stat()).size;
    const header = Buffer.alloc(20);
    const metadata: Record<string, string> = {};
    let at = 0;
    for (let fields = 0; at < size; fields++) {
      if (fields >= MAX_TOP_LEVEL_FIELDS) {
        throw fail(`more than ${MAX_TOP_LEVEL_FIELDS} top-level fields`);
      }
      const { bytesRead } = await file.read(header, 0, header.length, at);
      const reader = new WireReader(header.subarray(0, bytesRead));
      const key = reader.varint();
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      if (wireType === 0) {
        reader.varint();
        at += reader.offset;
      } else if (wireType === 1 || wireType === 5) {
        at += reader.offset + (wireType === 1 ? 8 : 4);
      } else if (wireType === 2) {
        const length = reader.varint();
        const start = at + reader.offset;
        if (start + length > size) {
          throw fail(`field ${field} runs past the end of the file (${size} bytes)`);
        }
        if (field === METADATA_PROPS_FIELD) {
          if (length > MAX_ENTRY_BYTES) {
            throw fail(`a metadata entry of ${length} bytes (at most ${MAX_ENTRY_BYTES})`);
          }
          const entry = Buffer.alloc(length);
          await file.read(entry, 0, length, start);
          const [name, value] = readEntry(entry);
          metadata[name] = value;
        }
        at = start + length;
      } else {
        throw fail(`wire type ${wireType} of field ${field} at byte ${at} is not protobuf`);
      }
    }
    return metadata;
  } catch (error) {
    throw error instanceof ModelLoadError ? error : fail(describeError(error), error);
  } finally {
    await file.close();
  }
}

/** One `StringStringEntryProto`: its key (field 1) and value (field 2), both UTF-8 strings. */
function readEntry(bytes: Buffer): [string, string] {
  const reader = new WireReader(bytes);
  let key = '';
  let value = '';
  while (reader.offset < bytes.length) {
    const tag = reader.varint();
    if (tag % 8 !== 2) {
      throw new Error(`a metadata entry holds wire type ${tag % 8}, expected strings`);
    }
    const length = reader.varint();
    const text = reader.bytes(length).toString('utf8');
    if (Math.floor(tag / 8) === 1) {
      key = text;
    } else if (Math.floor(tag / 8) === 2) {
      value = text;
    }
  }
  return [key, value];
}

/** Reads protobuf varints and byte runs from a buffer; throws when they run past its end. */
class WireReader {
  offset = 0;

  constructor(private readonly buffer: Buffer) {}

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.offset >= this.buffer.length) {
        throw new Error('a varint runs past the end of the data');
      }
      const byte = this.buffer[this.offset++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        return value;
      }
    }
    throw new Error('a varint longer than 10 bytes');
  }

  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) {
      throw new Error('a string runs past the end of the data');
    }
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/**
 * The names of label values 1, 2, … from a model's `labels` metadata, as `/v1/models` lists them (AIAA's convention:
 * `labels[n − 1]` names value n; value 0 is the background). The metadata is JSON: a list indexed by value
 * (`["Unknown", "Cerebral-White-Matter", …]`, brainchop's form) or an object keyed by value
 * (`{"0": "background", "1": "foreground"}`). Returns undefined when the model has no `labels` metadata.
 *
 * @throws ModelLoadError when `labels` is not such JSON, or an object skips a value.
 */
export function labelsFromMetadata(
  metadata: Readonly<Record<string, string>>,
  modelName: string,
  modelPath: string,
): string[] | undefined {
  const text = metadata['labels'];
  if (text === undefined) {
    return undefined;
  }
  const fail = (detail: string): ModelLoadError =>
    new ModelLoadError(modelName, modelPath, `metadata 'labels' ${detail}; give "labels" in config_aiaa.json instead`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail('is not JSON');
  }
  if (Array.isArray(parsed) && parsed.every((name) => typeof name === 'string')) {
    return parsed.slice(1);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const byValue = new Map(Object.entries(parsed).map(([value, name]) => [Number(value), name as unknown]));
    const names: string[] = [];
    const values = [...byValue.keys()];
    if (values.some((v) => !Number.isInteger(v) || v < 0) || [...byValue.values()].some((n) => typeof n !== 'string')) {
      throw fail('must map label values (0, 1, …) to names');
    }
    const highest = Math.max(0, ...values);
    for (let value = 1; value <= highest; value++) {
      const name = byValue.get(value);
      if (typeof name !== 'string') {
        throw fail(`names values up to ${highest} but not ${value}`);
      }
      names.push(name);
    }
    return names;
  }
  throw fail('must be a JSON list of names or an object of value → name');
}

/**
 * The labels a model is listed with (`/v1/models`): its config's `labels` when it gives any, else the `labels`
 * metadata of its `.onnx` file (see {@link labelsFromMetadata}), else none.
 * @throws ModelLoadError when the model file's metadata cannot be read or its `labels` are malformed.
 */
export async function resolveModelLabels(config: ModelConfig): Promise<readonly string[]> {
  if (config.labels.length > 0 || !config.hasModelFile() || !config.getPath().endsWith('.onnx')) {
    return config.labels;
  }
  const modelPath = config.getPath();
  return labelsFromMetadata(await readOnnxMetadata(config.name, modelPath), config.name, modelPath) ?? [];
}
