import * as fs from 'node:fs';
import { InvalidInputError } from '@aiaa/core';

/**
 * What a user who uploads a PyTorch model is told: the server runs ONNX only, and one call exports it. Said at upload,
 * because such a file otherwise fails later as a bundle without a config or an unreadable ONNX graph.
 */
export function pytorchNotServed(kind: string): InvalidInputError {
  return new InvalidInputError(
    `model upload: the file is ${kind}; only ONNX models are served. Export it with ` +
      `torch.onnx.export(model, example_input, 'model.onnx', input_names=['input'], output_names=['output']) ` +
      `(example_input: a tensor of the model's input shape, e.g. torch.zeros(1, 1, 96, 96, 96)) and upload model.onnx`,
  );
}

/**
 * True when the zip entry names are those of a TorchScript archive (`torch.jit.save`) or a zip-format `torch.save`
 * checkpoint: one top folder holding `data.pkl` and `version`.
 */
export function isPytorchArchive(entryNames: readonly string[]): boolean {
  const root = entryNames[0]?.split('/')[0];
  return root !== undefined && ['data.pkl', 'version'].every((file) => entryNames.includes(`${root}/${file}`));
}

/**
 * True when the file starts as a Python pickle does (opcode PROTO, protocol 2 to 5): a legacy `torch.save`
 * checkpoint. An ONNX file (a protobuf) starts with a field tag, never 0x80.
 */
export async function isPythonPickle(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5;
  } finally {
    await handle.close();
  }
}
