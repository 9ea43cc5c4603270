// Jest's node environment gives each test file its own typed-array constructors, but onnxruntime-node's native
// binding creates output arrays with Node's own, so onnxruntime-common's `instanceof Float32Array` checks fail inside
// Jest ("A float32 tensor's data must be type of Float32Array"). This environment shares Node's constructors with the
// test realm, as Jest already does for ArrayBuffer and Uint8Array. Use it with a docblock on the first line:
//   /** @jest-environment ./test/onnxruntime-environment.cjs */  (path from the project's rootDir)
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
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

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxRuntimeEnvironment;
