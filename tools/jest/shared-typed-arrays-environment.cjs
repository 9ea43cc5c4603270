// The Jest environment of every project: Node's, with Node's own typed-array constructors shared into the test
// realm. onnxruntime-node's native binding creates output arrays with Node's constructors, and onnxruntime-common
// checks them with `instanceof Float32Array`: with Jest's per-file constructors those checks fail ("A float32
// tensor's data must be type of Float32Array"), so any test that runs a model in-process would need a docblock.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = SharedTypedArraysEnvironment;
