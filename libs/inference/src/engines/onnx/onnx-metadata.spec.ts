import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelConfig } from '../../model-config';
import { buildModel } from '../../testing/model-builders/model-builder';
import { labelsFromMetadata, readOnnxMetadata, resolveModelLabels } from './onnx-metadata';
import { ModelLoadError } from './onnx-engine';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const SUBCORTICAL = join(REPO, 'workspace/models/brain_mri_subcortical_18cls/1/brainchop_subcortical_gwm_18cls.onnx');

/** An identity model whose `metadata_props` are `metadata`, encoded by protobufjs from the vendored onnx.proto. */
function modelWith(metadata: Record<string, string>): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 1] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 1] }],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
    metadata,
  });
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aiaa-onnx-metadata-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function config(json: Record<string, unknown>, modelPath: string): ModelConfig {
  return ModelConfig.parse({ type: 'segmentation', ...json }, { engine: 'AIAA', name: 'm', modelPath });
}

describe('readOnnxMetadata', () => {
  it('reads every metadata_props entry, skipping the graph', async () => {
    const path = await file('two.onnx', modelWith({ labels: '["a"]', 'a key': 'ünïcode value' }));
    expect(await readOnnxMetadata('m', path)).toEqual({ labels: '["a"]', 'a key': 'ünïcode value' });
    expect(await readOnnxMetadata('m', await file('none.onnx', modelWith({})))).toEqual({});
  });

  it("reads the names brainchop's 18-class model stores under 'labels'", async () => {
    const metadata = await readOnnxMetadata('subcortical', SUBCORTICAL);
    expect(JSON.parse(metadata['labels'] ?? 'null')).toEqual([
      'Unknown',
      'Cerebral-White-Matter',
      'Cerebral-Cortex',
      'Lateral-Ventricle',
      'Inferior-Lateral-Ventricle',
      'Cerebellum-White-Matter',
      'Cerebellum-Cortex',
      'Thalamus',
      'Caudate',
      'Putamen',
      'Pallidum',
      '3rd-Ventricle',
      '4th-Ventricle',
      'Brain-Stem',
      'Hippocampus',
      'Amygdala',
      'Accumbens-area',
      'VentralDC',
    ]);
  });

  describe('bad input', () => {
    it('names the model and file of bytes that are not protobuf', async () => {
      const path = await file('text.onnx', 'this is not a model, only some text');
      await expect(readOnnxMetadata('m', path)).rejects.toThrow(ModelLoadError);
      await expect(readOnnxMetadata('m', path)).rejects.toThrow(
        /^model 'm' \(text\.onnx\): cannot read its metadata: /,
      );
    });

    it('names a file cut short', async () => {
      const bytes = modelWith({ labels: '["a", "b"]' });
      const path = await file('cut.onnx', bytes.subarray(0, bytes.length - 3));
      await expect(readOnnxMetadata('m', path)).rejects.toThrow(
        /cut\.onnx\): cannot read its metadata: field 14 runs past/,
      );
    });

    it('names a missing file', async () => {
      await expect(readOnnxMetadata('m', join(dir, 'absent.onnx'))).rejects.toThrow(/absent\.onnx\): cannot read/);
    });
  });
});

describe('labelsFromMetadata (AIAA: labels[n − 1] names value n, 0 is the background)', () => {
  const labels = (text: string): string[] | undefined => labelsFromMetadata({ labels: text }, 'm', '/x/m.onnx');

  it('drops value 0 of a list indexed by value', () => {
    expect(labels('["Unknown", "white", "grey"]')).toEqual(['white', 'grey']);
  });

  it('orders an object keyed by value', () => {
    expect(labels('{"2": "grey", "0": "background", "1": "white"}')).toEqual(['white', 'grey']);
  });

  it('is undefined without labels metadata', () => {
    expect(labelsFromMetadata({ other: '1' }, 'm', '/x/m.onnx')).toBeUndefined();
  });

  describe('bad input', () => {
    it.each([
      ['not JSON', 'white, grey', /metadata 'labels' is not JSON; give "labels" in config_aiaa.json instead/],
      ['a gap', '{"0": "bg", "2": "grey"}', /metadata 'labels' names values up to 2 but not 1/],
      ['a negative value', '{"-1": "x"}', /must map label values/],
      ['a number', '3', /must be a JSON list of names or an object/],
    ])('refuses %s, naming the model file', (_what, text, message) => {
      expect(() => labels(text)).toThrow(ModelLoadError);
      expect(() => labels(text)).toThrow(message);
      expect(() => labels(text)).toThrow(/^model 'm' \(m\.onnx\)/);
    });
  });
});

describe('resolveModelLabels', () => {
  it("takes the config's labels when it gives any, else the model file's", async () => {
    const path = await file('labelled.onnx', modelWith({ labels: '{"0": "background", "1": "foreground"}' }));
    expect(await resolveModelLabels(config({ labels: ['spleen'] }, path))).toEqual(['spleen']);
    expect(await resolveModelLabels(config({}, path))).toEqual(['foreground']);
    expect(await resolveModelLabels(config({}, await file('plain.onnx', modelWith({}))))).toEqual([]);
  });

  it('reads no metadata from a model file that is not .onnx', async () => {
    expect(await resolveModelLabels(config({}, await file('model.pt', 'torchscript bytes')))).toEqual([]);
  });
});
