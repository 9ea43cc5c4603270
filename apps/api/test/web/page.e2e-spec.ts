import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, type TestBrowser } from '../support/browser';
import { copyDemoModels } from '../support/demo-models';
import { niftiVoxels, nonzeroVoxels, valueAt, voxelDigest, type NiftiVoxels } from '../support/nifti-voxels';
import { pageHooks, type PageVolume } from '../support/page-hooks';
import { REPO_ROOT } from '../support/server-process';
import { makeWorkspace, removeWorkspace, startTestApp, type TestApp } from '../support/test-app';

// A real server, onnxruntime and a software-rendered WebGL2 browser share two cores: allow for a loaded CPU.
jest.setTimeout(180_000);

const CT_NAME = 'spleen_8_ct.nii.gz';
const DEMOS = ['spleen_ct_threshold', 'deepgrow_ct_window', 'body_bone_ct', 'annotation_ct_dextr3d'];

/** The API's own answer to the page's request, sent from Node with the sample file itself (no session). */
async function apiResult(base: string, endpoint: string, model: string, params: unknown, ct: Buffer) {
  const form = new FormData();
  form.append('params', JSON.stringify(params));
  form.append('datapoint', new Blob([ct]), CT_NAME);
  const res = await fetch(`${base}/v1/${endpoint}?model=${model}&output=image`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  return niftiVoxels(Buffer.from(await res.arrayBuffer()));
}

function expectSameVolume(page: PageVolume | undefined, api: NiftiVoxels): void {
  expect(page).toEqual({
    dims: api.dims,
    datatypeCode: api.datatype,
    sha256: voxelDigest(api),
    nonzero: nonzeroVoxels(api),
  });
}

/** Runs `action` (a click that starts a run) and waits until the page shows one more finished run. */
async function runOnce(page: Page, action: () => Promise<unknown>): Promise<void> {
  const runs = Number(await page.locator('#try-section').getAttribute('data-runs'));
  await action();
  await page.waitForSelector(
    `#try-section[data-state="done"]:not([data-runs="${runs}"]), #try-section[data-state="error"]`,
    { timeout: 120_000 },
  );
  const error = await page.locator('#try-error').textContent();
  expect({ state: await page.locator('#try-section').getAttribute('data-state'), error }).toEqual({
    state: 'done',
    error: '',
  });
}

(chromiumMissing ? describe.skip : describe)(
  `the page at / in headless Chromium against the real server${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
  () => {
    let t: TestApp;
    let browser: TestBrowser;
    let page: Page;
    let hooks: ReturnType<typeof pageHooks>;
    let ct: Buffer;
    const requests: string[] = [];

    beforeAll(async () => {
      const workspace = await makeWorkspace();
      await copyDemoModels(workspace, DEMOS);
      t = await startTestApp({}, workspace);
      ct = await fs.readFile(path.join(REPO_ROOT, 'samples', CT_NAME));
      browser = await launchBrowser();
      page = browser.page;
      hooks = pageHooks(page);
      page.on('request', (r) => requests.push(`${r.method()} ${r.url().replace(t.base, '')}`));
      await page.goto(`${t.base}/`);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    });

    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await removeWorkspace(t.workspace);
    });

    afterEach(() => {
      expect(browser.errors).toEqual([]);
    });

    it('lists the models /v1/models lists, with type, labels, engine and version, and the server health', async () => {
      const models = (await (await fetch(`${t.base}/v1/models`)).json()) as {
        name: string;
        type: string;
        labels: string[];
        version: string;
        active_version: number;
      }[];
      expect(models.map((m) => m.name).sort()).toEqual([...DEMOS].sort());
      const rows = [];
      for (const row of await page.locator('#models-table tbody tr').all()) {
        rows.push((await row.locator('td').allTextContents()).slice(0, 5));
      }
      expect(rows).toEqual(
        models.map((m) => [
          m.name,
          m.type === 'deepgrow' ? 'deepgrow (3D)' : m.type,
          m.labels.length > 0 ? m.labels.join(', ') : '—',
          'AIAA',
          `v${m.active_version}`,
        ]),
      );
      expect(await page.locator('#health').textContent()).toBe('ok · engine AIAA');
    });

    it('runs spleen_ct_threshold on the spleen CT sample: the overlay is the API reply voxel for voxel, and shows', async () => {
      await page.selectOption('#sample-select', CT_NAME);
      await page.waitForSelector('#try-section[data-state=ready]');
      expect(await page.locator('#image-info').textContent()).toContain('512 × 512 × 32 voxels');
      const before = await hooks.canvasPixels();
      // The CT alone is grey (R = G = B) on a dark background: no red pixel yet, but an image.
      expect(before.reddish).toBe(0);
      expect(before.nonBackground).toBeGreaterThan(before.total * 0.1);

      await page.selectOption('#model-select', 'spleen_ct_threshold');
      await runOnce(page, () => page.click('#run-button'));

      const api = await apiResult(t.base, 'segmentation', 'spleen_ct_threshold', {}, ct);
      expect(nonzeroVoxels(api)).toBeGreaterThan(100_000);
      expectSameVolume(await hooks.segmentation(), api);
      const after = await hooks.canvasPixels();
      expect(after.reddish).toBeGreaterThan(1000);
      const legend = await page.locator('#legend li').allTextContents();
      expect(legend).toEqual([
        expect.stringContaining(`spleen (1) — ${nonzeroVoxels(api).toLocaleString('en')} voxels`),
      ]);
      const stages = await page.locator('#timings th').allTextContents();
      expect(stages).toEqual(expect.arrayContaining(['pre_transforms', 'inference', 'post_transforms', 'total']));

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
      expect(download.suggestedFilename()).toBe('spleen_8_ct_spleen_ct_threshold.nii.gz');
      const saved = niftiVoxels(await fs.readFile((await download.path()) as string));
      expect(voxelDigest(saved)).toBe(voxelDigest(api));
    });

    it('turns a click into a deepgrow foreground point at the voxel under the cursor; the mask contains it', async () => {
      await page.selectOption('#model-select', 'deepgrow_ct_window');
      const tile = await hooks.axialTile();
      expect(tile).toBeDefined();
      const canvas = (await page.locator('#viewer-canvas').boundingBox())!;
      await runOnce(page, () =>
        page.mouse.click(canvas.x + tile!.left + tile!.width * 0.62, canvas.y + tile!.top + tile!.height * 0.45),
      );

      const click = (await hooks.lastClick())!;
      const [x, y, z] = click.voxel;
      // The voxel the page sends is the one niivue shows: the file's own value there is the value under the cursor.
      expect(valueAt(niftiVoxels(ct), click.voxel)).toBe(click.value);
      expect(await page.locator('#clicks-list li').allTextContents()).toEqual([`foreground [${x}, ${y}, ${z}] ×`]);
      expect(await hooks.segmentationAt([x, y, z])).toBe(1);
      const params = { foreground: [[x, y, z]], background: [] };
      expectSameVolume(
        await hooks.segmentation(),
        await apiResult(t.base, 'deepgrow', 'deepgrow_ct_window', params, ct),
      );

      // A shift-click adds a background point and reruns on the session: the volume went up once, for the first run.
      await page.keyboard.down('Shift');
      await runOnce(page, () =>
        page.mouse.click(canvas.x + tile!.left + tile!.width * 0.4, canvas.y + tile!.top + tile!.height * 0.6),
      );
      await page.keyboard.up('Shift');
      const background = (await hooks.lastClick())!.voxel;
      expect(await hooks.segmentationAt(background)).toBe(0);
      expect(await page.locator('#clicks-list li').allTextContents()).toEqual([
        `foreground [${x}, ${y}, ${z}] ×`,
        `background [${background.join(', ')}] ×`,
      ]);
      const uploads = requests.filter((r) => r.startsWith('PUT /session/'));
      const sessions = requests.flatMap(
        (r) => /^POST \/v1\/deepgrow\?.*session_id=([0-9a-f-]{36})$/.exec(r)?.[1] ?? [],
      );
      expect(uploads).toHaveLength(1);
      expect(sessions).toHaveLength(2);
      expect(new Set(sessions).size).toBe(1);
    });
  },
);
