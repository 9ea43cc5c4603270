import { InvalidInputError } from '@aiaa/core';
import type { LoadedModel, ModelInfo, ModelRunResult } from '../../src/runtime/loaded-model';
import { ModelRuntimeService } from '../../src/runtime/model-runtime.service';
import { errorMessage, request, type RawReply } from '../support/inference-helpers';
import { useTestApp } from '../support/test-app';

/** A loaded model that is only listed here (its run is never called by these tests). */
function listedModel(info: ModelInfo): LoadedModel {
  return {
    info,
    engine: 'AIAA',
    queued: 0,
    run(): Promise<ModelRunResult> {
      return Promise.reject(new InvalidInputError('not run in this test'));
    },
    close: () => Promise.resolve(),
  };
}

// The entries as AIAA-API §1/§6 describe them (C++ Model::fromJson, Slicer, OHIF).
const SPLEEN_SEG: ModelInfo = {
  name: 'segmentation_ct_spleen',
  labels: ['spleen'],
  description: 'CT spleen',
  version: '2',
  type: 'segmentation',
};
const SPLEEN_ANN: ModelInfo = {
  name: 'annotation_ct_spleen',
  labels: ['Spleen'],
  description: 'DExtr3D spleen',
  version: '1',
  type: 'annotation',
  padding: 20,
  roi: [128, 128, 128],
  sigma: 3,
};
const LIVER_SEG: ModelInfo = {
  name: 'segmentation_ct_liver_and_tumor',
  labels: ['liver', 'liver tumor'],
  description: '',
  version: '1',
  type: 'segmentation',
};
const DEEPGROW: ModelInfo = {
  name: 'clara_deepgrow',
  labels: [],
  description: 'deepgrow 3D',
  version: '1',
  type: 'deepgrow',
  deepgrow: '3D',
};

function body(reply: RawReply): unknown {
  return JSON.parse(reply.body.toString('utf8'));
}

function names(reply: RawReply): string[] {
  return (body(reply) as ModelInfo[]).map((m) => m.name);
}

describe('GET /v1/models (real app, real HTTP on 127.0.0.1)', () => {
  const t = useTestApp();

  beforeAll(async () => {
    const runtime = t.app.get(ModelRuntimeService);
    for (const info of [SPLEEN_SEG, SPLEEN_ANN, LIVER_SEG, DEEPGROW]) {
      await runtime.replace(info.name, listedModel(info));
    }
  });

  it('lists every loaded model as a JSON array with Content-Length, sorted by name', async () => {
    const reply = await request('GET', `${t.base}/v1/models`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    expect(body(reply)).toEqual(
      [SPLEEN_SEG, SPLEEN_ANN, DEEPGROW, LIVER_SEG].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('answers the same at /v1/models/ (trailing slash, as notebooks call it)', async () => {
    const reply = await request('GET', `${t.base}/v1/models/`);
    expect(reply.status).toBe(200);
    expect(names(reply)).toHaveLength(4);
  });

  it('answers one object for ?model= (the C++ client parses an object), with version a string', async () => {
    const reply = await request('GET', `${t.base}/v1/models?model=annotation_ct_spleen`);
    expect(reply.status).toBe(200);
    expect(body(reply)).toEqual(SPLEEN_ANN);
    expect(typeof (body(reply) as ModelInfo).version).toBe('string');
  });

  it('filters ?label= case-insensitively, exact matches first, else substrings', async () => {
    expect(names(await request('GET', `${t.base}/v1/models?label=SPLEEN`))).toEqual([
      'annotation_ct_spleen',
      'segmentation_ct_spleen',
    ]);
    // 'liver' matches the label 'liver' exactly, so 'liver tumor' is not a reason to list anything else.
    expect(names(await request('GET', `${t.base}/v1/models?label=liver`))).toEqual(['segmentation_ct_liver_and_tumor']);
    expect(names(await request('GET', `${t.base}/v1/models?label=tum`))).toEqual(['segmentation_ct_liver_and_tumor']);
    expect(names(await request('GET', `${t.base}/v1/models?label=kidney`))).toEqual([]);
  });

  it('filters ?type= (C++ client) and combines it with ?label=', async () => {
    expect(names(await request('GET', `${t.base}/v1/models?type=deepgrow`))).toEqual(['clara_deepgrow']);
    expect(names(await request('GET', `${t.base}/v1/models?type=segmentation&label=spleen`))).toEqual([
      'segmentation_ct_spleen',
    ]);
  });

  describe('bad requests', () => {
    it('answers 404 naming the model for an unknown ?model=', async () => {
      const reply = await request('GET', `${t.base}/v1/models?model=no_such_model`);
      expect(reply.status).toBe(404);
      expect(errorMessage(reply)).toContain("'no_such_model'");
    });
  });
});
