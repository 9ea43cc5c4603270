import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { configPart, putModel, type ErrorBody } from '../support/admin-client';
import { THRESHOLD_ONNX, thresholdConfig } from '../support/hardening-support';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

/**
 * A TorchScript archive as `torch.jit.save` writes it (Debian's python3-torch): a scripted
 * `nn.Sequential(nn.Conv3d(1, 2, 1))`, 4 KB, a zip of `model/data.pkl`, `model/version`, `model/code/…`.
 */
const TORCHSCRIPT = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torchscript-conv3d.pt'));
/** `pickle.dumps({}, protocol=2)`: how a legacy `torch.save` file begins. */
const PICKLE = Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

/** The threshold model's config with `change` applied. */
function config(change: (c: Record<string, unknown>) => void): Record<string, unknown> {
  const c = thresholdConfig(1);
  change(c);
  return c;
}

describe('strict configs: every key of config_aiaa.json is known, or the upload is 400 naming it', () => {
  const t = useTestApp();

  async function upload(json: unknown): Promise<{ status: number; message: string }> {
    const res = await putModel(t.base, 'strict', {
      config: configPart(json),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    return { status: res.status, message: ((await res.json()) as ErrorBody).message };
  }

  it.each([
    [
      'a misspelt top-level key (post_transform)',
      config((c) => {
        c['post_transform'] = c['post_transforms'];
        delete c['post_transforms'];
      }),
      "post_transform: unknown key; did you mean 'post_transforms'?",
    ],
    [
      'a misspelt transform argument (clipp)',
      config((c) => {
        c['pre_transforms'] = [
          { name: 'ScaleIntensityRanged', args: { a_min: 0, a_max: 1, b_min: 0, b_max: 1, clipp: true } },
        ];
      }),
      "pre_transforms[0].args.clipp: unknown argument of ScaleIntensityRanged; did you mean 'clip'?",
    ],
    [
      'an unknown key of inference',
      config((c) => {
        c['inference'] = { input: 'image', output: 'model', scaning_window: true };
      }),
      "inference.scaning_window: unknown key; did you mean 'scanning_window'?",
    ],
    [
      'an unknown key of the writer',
      config((c) => {
        c['writer'] = { name: 'WriteNifti', args: { field: 'model' }, arg: {} };
      }),
      "writer.arg: unknown key; did you mean 'args'?",
    ],
    [
      'a MONAI name the catalogue does not have',
      config((c) => {
        c['pre_transforms'] = [{ name: 'monai.transforms.ScaleIntensityRangePercentilesd', args: { keys: 'image' } }];
      }),
      "pre_transforms[0]: unknown transform 'monai.transforms.ScaleIntensityRangePercentilesd': not a transform of the catalogue (closest: monai.transforms.ScaleIntensityRanged,",
    ],
  ])('%s', async (_what, json, message) => {
    const reply = await upload(json);
    expect(reply.status).toBe(400);
    expect(reply.message.startsWith(message)).toBe(true);
    expect((await fetch(`${t.base}/admin/model/strict`)).status).toBe(404);
  });

  it('publishes the JSON Schema at /admin/config-schema, which an independent validator applies alike', async () => {
    const res = await fetch(`${t.base}/admin/config-schema`);
    expect(res.status).toBe(200);
    const schema = (await res.json()) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(thresholdConfig(1))).toBe(true);
    expect(validate(config((c) => (c['post_transform'] = [])))).toBe(false);
    expect((await upload(thresholdConfig(1))).status).toBe(200);
  });
});

describe('/admin/config-schema follows the admin rules', () => {
  const t = useTestApp({ adminHosts: '192.0.2.1' });

  it('is 403 to a client that is not an admin host', async () => {
    expect((await fetch(`${t.base}/admin/config-schema`)).status).toBe(403);
  });
});

describe('a PyTorch upload is told that only ONNX is served, and how to export', () => {
  const t = useTestApp();

  it.each([
    ['a TorchScript archive, with its config sent beside it', TORCHSCRIPT, 'model.pt', 'a TorchScript or PyTorch zip'],
    ['a legacy torch.save pickle', PICKLE, 'model.pth', 'a PyTorch pickle'],
  ])('%s', async (_what, data, filename, kind) => {
    const res = await putModel(t.base, 'torch', { config: configPart(thresholdConfig(1)), data: { data, filename } });
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as ErrorBody;
    expect(message).toContain(`the file is ${kind}`);
    expect(message).toContain('only ONNX models are served');
    expect(message).toContain("torch.onnx.export(model, example_input, 'model.onnx'");
    expect(message).not.toContain('no config');
    expect((await fetch(`${t.base}/admin/model/torch`)).status).toBe(404);
  });
});
