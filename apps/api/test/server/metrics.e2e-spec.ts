import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { sendPyMultipart } from '../support/inference-helpers';
import { configPart, pluginConfig, putModel } from '../support/admin-client';
import { CT_FILE, THRESHOLD_ONNX, datapoint, thresholdConfig } from '../support/hardening-support';
import { Scrape, prometheusParserMissing, scrape } from '../support/prometheus';
import { useTestApp } from '../support/test-app';

jest.setTimeout(60_000);

const parserMissing = prometheusParserMissing();
/** Every check reads the scrape with Prometheus's own parser; without it they cannot run (and say why). */
const describeWithParser = parserMissing === undefined ? describe : describe.skip;
if (parserMissing !== undefined) {
  console.warn(`metrics specs skipped: ${parserMissing}`);
}

const STAGES = ['upload', 'read', 'pre_transforms', 'inference', 'post_transforms', 'writer', 'total'];

/** `<workspace>/lib/hang.js`: an inference whose promise never settles (the request then times out: 504). */
async function writeHangingPlugin(workspace: string): Promise<void> {
  await fs.mkdir(path.join(workspace, 'lib'), { recursive: true });
  await fs.writeFile(
    path.join(workspace, 'lib', 'hang.js'),
    'exports.Hang = class Hang {\n  inference() {\n    return new Promise(() => {});\n  }\n};\n',
  );
}

const segment = (base: string, query: string, params = '{}'): ReturnType<typeof sendPyMultipart> =>
  sendPyMultipart('POST', `${base}/v1/segmentation?${query}`, { params }, [datapoint()]);

/** How much each series moved between two scrapes. */
function delta(before: Scrape, after: Scrape, name: string, labels: Record<string, string>): number {
  return after.value(name, labels) - before.value(name, labels);
}

describeWithParser('GET /metrics: counters move by exactly what a known sequence of requests did', () => {
  const t = useTestApp({ requestTimeoutSec: 2 }, writeHangingPlugin);
  let before: Scrape;
  let after: Scrape;
  const spleen = { model: 'spleen', version: '1' };

  beforeAll(async () => {
    const res = await putModel(t.base, 'spleen', {
      config: configPart(thresholdConfig(1)),
      data: { data: THRESHOLD_ONNX, filename: 'model.onnx' },
    });
    expect(res.status).toBe(200);
    const hang = await putModel(t.base, 'hang', {
      config: configPart(pluginConfig({ inference: { name: 'hang.Hang', args: {} } })),
    });
    expect(hang.status).toBe(200);
    before = await scrape(`${t.base}/metrics`);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await segment(t.base, 'model=spleen')).status);
    }
    statuses.push((await segment(t.base, 'model=spleen', '{not json')).status);
    statuses.push((await segment(t.base, `model=spleen&session_id=${randomUUID()}`)).status);
    statuses.push((await sendPyMultipart('POST', `${t.base}/v1/inference?model=hang`, {}, [datapoint()])).status);
    statuses.push((await segment(t.base, 'model=no_such_model')).status);
    expect(statuses).toEqual([200, 200, 200, 400, 440, 504, 404]);
    after = await scrape(`${t.base}/metrics`);
  });

  it('counts the three successes under the model, version, route and protocol', () => {
    const labels = { ...spleen, route: 'segmentation', protocol: 'aiaa' };
    expect(delta(before, after, 'aiaa_inference_requests_succeeded_total', labels)).toBe(3);
    // The threshold model runs the whole image at once: one engine execution per request.
    expect(delta(before, after, 'aiaa_inference_executions_total', spleen)).toBe(3);
  });

  it('counts each failure once, with its reason: the 400, the 440, the 504 and the unknown model', () => {
    const failed = (labels: Record<string, string>): number =>
      delta(before, after, 'aiaa_inference_requests_failed_total', labels);
    expect(failed({ ...spleen, route: 'segmentation', reason: 'bad_request' })).toBe(1);
    expect(failed({ ...spleen, route: 'segmentation', reason: 'session_expired' })).toBe(1);
    expect(failed({ model: 'hang', version: '1', route: 'inference', reason: 'timeout' })).toBe(1);
    expect(failed({ model: '_unknown', version: '', route: 'segmentation', reason: 'not_found' })).toBe(1);
    expect(failed({})).toBe(4);
    expect(delta(before, after, 'aiaa_inference_requests_succeeded_total', {})).toBe(3);
  });

  it('observes every stage exactly once per successful request, and no other stage', () => {
    for (const stage of STAGES) {
      expect({ stage, count: after.count('aiaa_inference_stage_seconds', { ...spleen, stage }) }).toEqual({
        stage,
        count: 3,
      });
    }
    const stages = new Set(after.matching('aiaa_inference_stage_seconds_count', {}).map((s) => s.labels['stage']));
    expect([...stages].sort()).toEqual([...STAGES].sort());
    expect(after.familyOf('aiaa_inference_stage_seconds_count')?.type).toBe('histogram');
    const buckets = after.buckets('aiaa_inference_stage_seconds', { ...spleen, stage: 'total' });
    expect(Object.keys(buckets)).toEqual(expect.arrayContaining(['0.01', '600', '+Inf']));
    expect(buckets['+Inf']).toBe(3);
  });

  it('counts the bytes of the uploads received whole (the 440 and the 404 were refused before their bodies)', () => {
    const route = { route: '/v1/segmentation' };
    expect(delta(before, after, 'aiaa_uploads_total', route)).toBe(4);
    expect(delta(before, after, 'aiaa_upload_bytes_total', route)).toBe(
      4 * CT_FILE.length + 3 * 2 + '{not json'.length,
    );
    expect(delta(before, after, 'aiaa_uploads_total', { route: '/v1/inference' })).toBe(1);
  });

  it('reports model loads, sessions, process and event-loop metrics, every name with the aiaa_ prefix', async () => {
    expect(after.value('aiaa_model_loads_total', spleen)).toBe(1);
    expect(after.value('aiaa_model_activations_total', spleen)).toBe(1);
    const session = await sendPyMultipart('PUT', `${t.base}/session/?expiry=60`, {}, [
      { field: 'image', filename: 'ct.nii', content: CT_FILE },
    ]);
    expect(session.status).toBe(200);
    const open = await scrape(`${t.base}/metrics`);
    expect(open.value('aiaa_sessions_active')).toBe(1);
    expect(open.familyOf('aiaa_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(open.value('aiaa_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    for (const family of open.families) {
      expect(family.family).toMatch(/^aiaa_[a-z0-9_]+$/);
      for (const sample of family.samples) {
        if (family.type === 'counter') {
          expect(sample.name).toMatch(/_total$/);
        }
        if (family.type === 'histogram') {
          expect(sample.name).toMatch(/_seconds_(bucket|sum|count)$/);
        }
      }
    }
    // Declared even before anything happened to count: a failed load.
    expect(open.text).toContain('# TYPE aiaa_model_load_failures_total counter');
  });
  it('counts MONAI Label /infer requests under protocol monailabel, and sizes the datastore', async () => {
    const first = await scrape(`${t.base}/metrics`);
    const stored = await sendPyMultipart('PUT', `${t.base}/datastore/?image=ct_one`, { params: '{}' }, [
      { field: 'file', filename: 'ct.nii', content: CT_FILE },
    ]);
    expect(stored.status).toBe(200);
    const inferred = await sendPyMultipart('POST', `${t.base}/infer/spleen?image=ct_one&output=image`, {}, []);
    expect(inferred.status).toBe(200);
    const then = await scrape(`${t.base}/metrics`);
    const labels = { ...spleen, route: 'infer', protocol: 'monailabel' };
    expect(delta(first, then, 'aiaa_inference_requests_succeeded_total', labels)).toBe(1);
    expect(then.count('aiaa_inference_stage_seconds', { ...spleen, stage: 'total' })).toBe(4);
    expect(then.value('aiaa_datastore_images')).toBe(1);
    expect(then.value('aiaa_datastore_bytes')).toBeGreaterThanOrEqual(CT_FILE.length);
  });
});

describeWithParser('who may read /metrics: the admin rules on the main port, everyone on --metrics_port', () => {
  const t = useTestApp({ adminHosts: ['10.255.255.1'], adminToken: 'metrics-token', metricsPort: 0 });

  it('answers 403 without the token on the main port, 200 with it', async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(403);
    const res = await fetch(`${t.base}/metrics`, { headers: { Authorization: 'Bearer metrics-token' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(new Scrape(await res.text()).familyOf('aiaa_inference_requests_in_flight')?.type).toBe('gauge');
  });

  it('serves GET /metrics alone on --metrics_port, to any client', async () => {
    const port = t.app.get(MetricsModule).metricsPort;
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
    expect(res.status).toBe(200);
    expect(new Scrape(await res.text()).value('aiaa_process_cpu_seconds_total')).toBeGreaterThan(0);
    for (const other of ['/admin/model', '/logs', '/v1/models', '/metrics/../admin/model']) {
      expect((await fetch(`http://127.0.0.1:${String(port)}${other}`)).status).toBe(404);
    }
  });
});
