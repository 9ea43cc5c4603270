import { AiaaError, InvalidInputError, TooLargeError } from '@aiaa/core';
import type { Tensor, TensorData, TensorInfo } from '../../engine';
import { GRPC_MAX_MESSAGE_BYTES } from './kserve-client';
import { datatypeByteSize, elementCount, kserveDatatypeOf } from './kserve-datatypes';

// Batches of windows over a Triton model's max_batch_size: size limits, slicing along the first axis, joining.

/**
 * Refuses before sending what gRPC cannot carry in one message (2 GiB − 1): an input's share of one request, or an
 * output whose size the served shape fixes. Throws TooLargeError naming the tensor.
 */
export function checkRequestSizes(
  model: string,
  feeds: Readonly<Record<string, Tensor>>,
  outputs: readonly TensorInfo[],
  maxBatch: number,
  batch: number,
): void {
  const items = maxBatch > 0 ? Math.min(maxBatch, batch) : 1;
  const split = maxBatch > 0 ? `${items} item(s) per request` : 'the model cannot batch';
  const refuse = (what: string, bytes: number, advice: string): never => {
    throw new TooLargeError(
      `model '${model}': ${what} needs ${bytes} bytes per request (${split}), over gRPC's ` +
        `${GRPC_MAX_MESSAGE_BYTES}-byte message limit; ${advice}`,
    );
  };
  for (const [name, tensor] of Object.entries(feeds)) {
    const bytes = maxBatch > 0 && batch > 0 ? (tensor.data.byteLength / batch) * items : tensor.data.byteLength;
    if (bytes > GRPC_MAX_MESSAGE_BYTES) {
      refuse(`input '${name}'`, bytes, 'send smaller windows');
    }
  }
  for (const output of outputs) {
    const dims = maxBatch > 0 ? output.shape.slice(1) : output.shape;
    if (dims.every((d): d is number => typeof d === 'number' && d >= 0)) {
      const bytes = items * elementCount(dims) * datatypeByteSize(kserveDatatypeOf(output.dtype));
      if (bytes > GRPC_MAX_MESSAGE_BYTES) {
        refuse(`output '${output.name}'`, bytes, 'serve an argmax or uint8 output, or smaller windows');
      }
    }
  }
}

/** The common first dimension of the feeds; throws InvalidInputError naming an input that disagrees. */
export function batchSizeOf(model: string, feeds: Readonly<Record<string, Tensor>>): number {
  let batch: number | undefined;
  for (const [name, tensor] of Object.entries(feeds)) {
    const n = tensor.shape[0];
    if (n === undefined) {
      throw new InvalidInputError(`model '${model}': input '${name}' has no batch dimension (shape [])`);
    }
    if (batch !== undefined && n !== batch) {
      throw new InvalidInputError(`model '${model}': input '${name}' has batch ${n}, the other inputs have ${batch}`);
    }
    batch = n;
  }
  return batch ?? 0;
}

interface Sliceable {
  subarray(begin: number, end: number): TensorData;
}

/** Items [begin, end) of the first axis of each feed, as views of the same buffers. */
export function sliceBatch(
  feeds: Readonly<Record<string, Tensor>>,
  begin: number,
  end: number,
  batch: number,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(feeds)) {
    const item = tensor.data.length / batch;
    const data = (tensor.data as Sliceable).subarray(begin * item, end * item);
    out[name] = { dtype: tensor.dtype, shape: [end - begin, ...tensor.shape.slice(1)], data } as Tensor;
  }
  return out;
}

/** Concatenates the outputs of split requests along the first axis. */
export function joinBatches(model: string, parts: readonly Record<string, Tensor>[]): Record<string, Tensor> {
  const first = parts[0] ?? {};
  const out: Record<string, Tensor> = {};
  for (const [name, head] of Object.entries(first)) {
    let total = 0;
    let batch = 0;
    const chunks: TensorData[] = [];
    for (const part of parts) {
      const tensor = part[name];
      if (
        tensor === undefined ||
        tensor.dtype !== head.dtype ||
        tensor.shape.slice(1).join() !== head.shape.slice(1).join()
      ) {
        throw new AiaaError('internal', `model '${model}': output '${name}' differs between the requests of one batch`);
      }
      chunks.push(tensor.data);
      total += tensor.data.length;
      batch += tensor.shape[0] ?? 0;
    }
    const Constructor = head.data.constructor as new (length: number) => TensorData;
    const data = new Constructor(total);
    let offset = 0;
    for (const chunk of chunks) {
      (data as unknown as { set(source: ArrayLike<number | bigint>, offset: number): void }).set(chunk, offset);
      offset += chunk.length;
    }
    out[name] = { dtype: head.dtype, shape: [batch, ...head.shape.slice(1)], data } as Tensor;
  }
  return out;
}
