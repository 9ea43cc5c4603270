import { InvalidInputError } from '@aiaa/core';
import { rawBytesToTensor } from './kserve-datatypes';

// A protobuf fragment as a ModelInferResponse carries one output: `pad` bytes of earlier fields, the tag of field 6
// with wire type 2 (0x32), the varint length, then the little-endian floats 1.5, -2, 3.25.
function fragment(pad: number, tag = 0x32): { message: Uint8Array; payload: Uint8Array } {
  const floats = new Uint8Array(new Float32Array([1.5, -2, 3.25]).buffer);
  const message = new Uint8Array(pad + 2 + floats.byteLength);
  message.fill(0xee, 0, pad);
  message[pad] = tag;
  message[pad + 1] = floats.byteLength;
  message.set(floats, pad + 2);
  return { message, payload: message.subarray(pad + 2) };
}

describe('rawBytesToTensor', () => {
  it('views aligned bytes without copying', () => {
    const { message, payload } = fragment(2);
    const tensor = rawBytesToTensor("output 'pred'", 'FP32', [3], payload, 6);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25]);
    expect(tensor.data.buffer).toBe(message.buffer);
  });

  it('moves misaligned bytes over their own field header instead of copying them', () => {
    const { message, payload } = fragment(3);
    const tensor = rawBytesToTensor("output 'pred'", 'FP32', [3], payload, 6);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25]);
    expect(tensor.data.buffer).toBe(message.buffer);
    expect(tensor.data.byteOffset).toBe(4);
    // The earlier fields are untouched.
    expect(Array.from(message.subarray(0, 3))).toEqual([0xee, 0xee, 0xee]);
  });

  it('copies misaligned bytes when the header is not the named field', () => {
    const { message, payload } = fragment(3, 0x3a);
    const tensor = rawBytesToTensor("output 'pred'", 'FP32', [3], payload, 6);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25]);
    expect(tensor.data.buffer).not.toBe(message.buffer);
    expect(message[3]).toBe(0x3a);
  });

  it('copies misaligned bytes when no field is named', () => {
    const { message, payload } = fragment(1);
    const tensor = rawBytesToTensor("output 'pred'", 'FP32', [3], payload);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25]);
    expect(tensor.data.buffer).not.toBe(message.buffer);
  });

  it('copies when the header is shorter than the shift (8-byte elements)', () => {
    const doubles = new Uint8Array(new Float64Array([0.5]).buffer);
    // The payload starts at 13: 5 bytes past an 8-byte boundary, over a 2-byte header.
    const message = new Uint8Array(11 + 2 + 8);
    message[11] = 0x32;
    message[12] = 8;
    message.set(doubles, 13);
    const tensor = rawBytesToTensor("output 'pred'", 'FP64', [1], message.subarray(13), 6);
    expect(Array.from(tensor.data as Float64Array)).toEqual([0.5]);
    expect(tensor.data.buffer).not.toBe(message.buffer);
  });
});

describe('rawBytesToTensor with bad input', () => {
  it('rejects a byte length that disagrees with the shape, naming the output', () => {
    const { payload } = fragment(3);
    expect(() => rawBytesToTensor("output 'pred'", 'FP32', [4], payload, 6)).toThrow(InvalidInputError);
    expect(() => rawBytesToTensor("output 'pred'", 'FP32', [4], payload, 6)).toThrow(/output 'pred' got 12 bytes/);
  });
});
