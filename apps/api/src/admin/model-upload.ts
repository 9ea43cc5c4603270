import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidInputError } from '@aiaa/core';
import type { UploadedFile } from '../upload/upload-policy';
import { extractBundle, isZipFile } from './model-bundle';
import { CANONICAL_MODEL_FILE } from './model-folders';
import { isPythonPickle, pytorchNotServed } from './pytorch-upload';
import { folderBytes, hashFile } from './model-files';
import { CONFIG_FILE, parseConfigText, safeFileName, sha256Of } from './model-version';

/** The parts of a model upload: `config` (JSON text, from a file or a field) and `data` (the model file or a zip). */
export interface ModelUpload {
  /** The upload's temp folder under `<workspace>/staging`: the version is staged there. */
  readonly dir: string;
  readonly configText: string | undefined;
  readonly data: UploadedFile | undefined;
}

/** A version's files, staged in one folder, with what the registry records of them. */
export interface StagedVersion {
  readonly dir: string;
  readonly configText: string;
  readonly config: Record<string, unknown>;
  /** Relative to `dir`; undefined for pipeline and plugin models. */
  readonly modelFile: string | undefined;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The client's file name, when it sent a safe one. */
  readonly sourceFile: string | undefined;
}

/**
 * Lays out an upload as a version folder in `<upload dir>/model`: a zip bundle extracted (its model files keep their
 * place under `models/`), a plain model file stored as `model.onnx` whatever the client called it, and the config
 * as `config_aiaa.json`.
 * @throws InvalidInputError when no config came, or a PyTorch model did (only ONNX is served); ConfigError for a
 *   config that is not a JSON object; the bundle's errors (bad entries, too large).
 */
export async function stageVersion(name: string, upload: ModelUpload, maxBytes: number): Promise<StagedVersion> {
  const dir = path.join(upload.dir, 'model');
  await fs.promises.mkdir(dir);
  let configText = upload.configText;
  let modelFile: string | undefined;
  let sha256: string | undefined;
  if (upload.data) {
    if (await isZipFile(upload.data.path)) {
      const bundle = await extractBundle(upload.data.path, dir, maxBytes);
      configText ??= bundle.configText;
      modelFile = bundle.modelFile;
    } else if (await isPythonPickle(upload.data.path)) {
      throw pytorchNotServed('a PyTorch pickle (torch.save)');
    } else {
      // Only ONNX is served, so the file is one under its canonical name: a folder copied without its database
      // still shows which file is the model.
      modelFile = CANONICAL_MODEL_FILE;
      await fs.promises.rename(upload.data.path, path.join(dir, modelFile));
      sha256 = upload.data.sha256;
    }
  }
  if (configText === undefined) {
    throw new InvalidInputError(
      `model '${name}': no config: send a 'config' part (config_aiaa.json) or a zip bundle holding config/config_aiaa.json`,
    );
  }
  const config = parseConfigText(configText);
  await fs.promises.writeFile(path.join(dir, CONFIG_FILE), configText);
  sha256 ??= modelFile ? await hashFile(path.join(dir, modelFile)) : sha256Of(configText);
  return {
    dir,
    configText,
    config,
    modelFile,
    sha256,
    sizeBytes: await folderBytes(dir),
    sourceFile: safeFileName(upload.data?.filename),
  };
}
