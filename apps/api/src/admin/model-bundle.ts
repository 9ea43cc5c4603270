import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';
import { InvalidInputError, TooLargeError } from '@aiaa/core';
import { isPytorchArchive, pytorchNotServed } from './pytorch-upload';

/** Where an MMAR-style bundle keeps its config, relative to the bundle root. */
export const BUNDLE_CONFIG = 'config/config_aiaa.json';
/** The folder of model files in a bundle. */
export const BUNDLE_MODELS = 'models/';

/** Most entries a bundle may hold. */
const MAX_ENTRIES = 10_000;

/** The config and model files of a bundle, extracted. */
export interface ExtractedBundle {
  /** The text of `config/config_aiaa.json`. */
  readonly configText: string;
  /** The model file (an `.onnx` under `models/`, else the first file there), relative to `dest`; undefined if none. */
  readonly modelFile: string | undefined;
}

/** True when the file starts with a zip signature (`PK\x03\x04`, or `PK\x05\x06` for an empty archive). */
export async function isZipFile(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05);
  } finally {
    await handle.close();
  }
}

/**
 * Extracts an AIAA model bundle (an MMAR zip: `config/config_aiaa.json` + `models/…`, optionally inside one top
 * folder) into `dest`: the config becomes `dest/config_aiaa.json`, model files keep their place under
 * `dest/models/`; other entries are skipped.
 * @throws InvalidInputError for an entry escaping the bundle (absolute, `..`, drive letters), a bad zip, a missing
 * config (for a PyTorch archive: that only ONNX is served, and how to export), naming the entry; TooLargeError when
 * the uncompressed size passes `maxBytes`.
 */
export async function extractBundle(zipFile: string, dest: string, maxBytes: number): Promise<ExtractedBundle> {
  const zip = await openZip(zipFile);
  try {
    const entries = await listEntries(zip);
    const files = entries.filter((e) => !e.fileName.endsWith('/'));
    for (const entry of entries) {
      checkEntryName(entry.fileName);
    }
    checkFilesAndFolders(entries.map((e) => e.fileName));
    const prefix = commonRoot(files.map((e) => e.fileName));
    const configEntry = files.find((e) => e.fileName === prefix + BUNDLE_CONFIG);
    if (!configEntry && isPytorchArchive(files.map((e) => e.fileName))) {
      throw pytorchNotServed('a TorchScript or PyTorch zip archive');
    }
    if (!configEntry) {
      throw new InvalidInputError(
        `model bundle: no '${BUNDLE_CONFIG}' entry (found: ${
          files
            .slice(0, 10)
            .map((e) => e.fileName)
            .join(', ') || 'nothing'
        })`,
      );
    }
    const modelEntries = files.filter((e) => e.fileName.startsWith(prefix + BUNDLE_MODELS));
    let total = 0;
    for (const entry of [configEntry, ...modelEntries]) {
      total += entry.uncompressedSize;
    }
    if (total > maxBytes) {
      throw new TooLargeError(`model bundle: ${total} bytes uncompressed, over the ${maxBytes} byte limit`);
    }
    await extractEntry(zip, configEntry, path.join(dest, 'config_aiaa.json'), maxBytes);
    const extracted: string[] = [];
    for (const entry of modelEntries) {
      const relative = entry.fileName.slice(prefix.length);
      await extractEntry(zip, entry, resolveInside(dest, relative, entry.fileName), maxBytes);
      extracted.push(relative);
    }
    const configText = await fs.promises.readFile(path.join(dest, 'config_aiaa.json'), 'utf8');
    return { configText, modelFile: extracted.find((f) => f.endsWith('.onnx')) ?? extracted[0] };
  } finally {
    zip.close();
  }
}

function checkEntryName(name: string): void {
  const parts = name.split('/');
  if (
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[A-Za-z]:/.test(name) ||
    parts.includes('..')
  ) {
    throw new InvalidInputError(`model bundle: entry ${JSON.stringify(name)} points outside the bundle`);
  }
}

/** @throws InvalidInputError when one name is both a file and a folder (`models/a` and `models/a/b`), naming it. */
function checkFilesAndFolders(names: readonly string[]): void {
  const files = new Set(names.filter((n) => !n.endsWith('/')));
  for (const name of names) {
    const parts = name.replace(/\/$/, '').split('/');
    for (let depth = 1; depth < parts.length || (name.endsWith('/') && depth === parts.length); depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (files.has(folder)) {
        throw new InvalidInputError(
          `model bundle: '${folder}' is both a file and a folder (of entry ${JSON.stringify(name)})`,
        );
      }
    }
  }
}

/** The one top folder every file shares (`spleen_mmar/`), or '' when the bundle root is the MMAR root. */
function commonRoot(names: readonly string[]): string {
  if (names.some((n) => n.startsWith(BUNDLE_CONFIG))) {
    return '';
  }
  const first = names[0]?.split('/')[0];
  return first !== undefined && names.every((n) => n.startsWith(`${first}/`)) ? `${first}/` : '';
}

/** `dest/relative`, checked once more against the resolved paths (zip-slip). */
function resolveInside(dest: string, relative: string, entryName: string): string {
  const target = path.resolve(dest, relative);
  if (!target.startsWith(path.resolve(dest) + path.sep)) {
    throw new InvalidInputError(`model bundle: entry ${JSON.stringify(entryName)} points outside the bundle`);
  }
  return target;
}

/** yauzl refuses traversal names itself while listing; say so in this module's words, naming the entry. */
function bundleError(error: Error): InvalidInputError {
  const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(error.message);
  if (unsafe) {
    return new InvalidInputError(
      `model bundle: entry ${JSON.stringify(unsafe[1])} points outside the bundle (${error.message})`,
    );
  }
  return new InvalidInputError(`model bundle: ${error.message}`);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true },
      (error, zip) => {
        if (error || !zip) {
          reject(new InvalidInputError(`model bundle: not a readable zip file: ${error?.message ?? 'unknown error'}`));
        } else {
          resolve(zip);
        }
      },
    );
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > MAX_ENTRIES) {
        reject(new TooLargeError(`model bundle: more than ${MAX_ENTRIES} entries`));
        return;
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (error: Error) => reject(bundleError(error)));
    zip.readEntry();
  });
}

async function extractEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, target: string, maxBytes: number): Promise<void> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    zip.openReadStream(entry, (error, readStream) => {
      if (error || !readStream) {
        reject(new InvalidInputError(`model bundle: entry '${entry.fileName}': ${error?.message ?? 'unreadable'}`));
      } else {
        resolve(readStream);
      }
    });
  });
  // The declared sizes were checked above; this guards against an entry that inflates past what it declares.
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(
        bytes > maxBytes
          ? new TooLargeError(`model bundle: entry '${entry.fileName}' inflates past ${maxBytes} bytes`)
          : null,
        chunk,
      );
    },
  });
  try {
    await pipeline(stream, limit, fs.createWriteStream(target));
  } catch (error) {
    if (error instanceof TooLargeError) {
      throw error;
    }
    throw new InvalidInputError(`model bundle: entry '${entry.fileName}': ${(error as Error).message}`);
  }
}
