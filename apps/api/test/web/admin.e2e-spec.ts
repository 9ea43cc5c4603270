import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { putModel, type ErrorBody } from '../support/admin-client';
import { chromiumMissing, launchBrowser, type TestBrowser } from '../support/browser';
import { demoModelDir } from '../support/demo-models';
import { removeWorkspace, startTestApp, type TestApp } from '../support/test-app';

// A real server, onnxruntime and a software-rendered WebGL2 browser share two cores: allow for a loaded CPU.
jest.setTimeout(120_000);

const DEMO = demoModelDir('spleen_ct_threshold');
// The browser reports every non-2xx reply in its console; these tests expect exactly the refusals they provoke.
const refused = (status: number): string =>
  `Failed to load resource: the server responded with a status of ${status} (${status === 400 ? 'Bad Request' : 'Forbidden'})`;

async function upload(page: Page, name: string, config: string, model?: Buffer): Promise<void> {
  await page.fill('#upload-name', name);
  await page.setInputFiles('#upload-config', {
    name: 'config_aiaa.json',
    mimeType: 'application/json',
    buffer: Buffer.from(config),
  });
  await page.setInputFiles(
    '#upload-data',
    model ? { name: 'model.onnx', mimeType: 'application/octet-stream', buffer: model } : [],
  );
  await page.click('#upload-button');
  await page.waitForSelector('#upload-error:not([hidden]), #upload-done:not([hidden])');
}

const describeWithChromium = chromiumMissing ? describe.skip : describe;
const skipped = chromiumMissing ? ` (skipped: ${chromiumMissing})` : '';

describeWithChromium(`the admin panel of the page, from 127.0.0.1 (an --admin_hosts address)${skipped}`, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let config: string;
  let model: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    config = await fs.readFile(path.join(DEMO, 'config_aiaa.json'), 'utf8');
    model = await fs.readFile(path.join(DEMO, 'model.onnx'));
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${t.base}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await removeWorkspace(t.workspace);
  });

  it.each([
    ['a config that is not JSON', '{"type": "segmentation", "labels": ['],
    [
      'a config naming an unknown transform',
      JSON.stringify({ type: 'segmentation', pre_transforms: [{ name: 'Nope' }] }),
    ],
  ])("shows the API's own message for %s, and installs nothing", async (_what, broken) => {
    browser.errors.length = 0;
    await upload(page, 'broken', broken, model);
    const shown = await page.locator('#upload-error').textContent();
    const api = await putModel(t.base, 'broken', {
      config: { data: broken, filename: 'config_aiaa.json', type: 'application/json' },
      data: { data: model, filename: 'model.onnx' },
    });
    expect(api.status).toBe(400);
    const { message } = (await api.json()) as ErrorBody;
    expect(message).toMatch(/config|pre_transforms/);
    expect(shown).toBe(`HTTP 400: ${message}`);
    expect(await page.locator('#admin-models tbody tr').count()).toBe(0);
    expect(browser.errors).toEqual([refused(400)]);
  });

  it('uploads a model (config + .onnx): the tables and the model list gain it; deleting removes it', async () => {
    browser.errors.length = 0;
    await upload(page, 'page_upload', config, model);
    expect(await page.locator('#upload-done').textContent()).toBe(
      'Installed page_upload (segmentation, version 3, AIAA).',
    );
    await page.waitForSelector('#models-table tr[data-model=page_upload]');
    await page.waitForSelector('#admin-models tr[data-model=page_upload]');
    expect(await page.locator('#model-select option').allTextContents()).toEqual(['page_upload (segmentation)']);
    const listed = (await (await fetch(`${t.base}/v1/models`)).json()) as { name: string }[];
    expect(listed.map((m) => m.name)).toEqual(['page_upload']);

    const remove = page.locator('#admin-models tr[data-model=page_upload] button');
    await remove.click();
    expect(await remove.textContent()).toBe('Really delete page_upload?');
    await remove.click();
    await page.waitForSelector('#admin-models tr[data-model=page_upload]', { state: 'detached' });
    await page.waitForSelector('#models-table tr[data-model=page_upload]', { state: 'detached' });
    expect(await (await fetch(`${t.base}/v1/models`)).json()).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});

describeWithChromium(`switching versions from the admin panel${skipped}`, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let config: Record<string, unknown>;
  let model: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    config = JSON.parse(await fs.readFile(path.join(DEMO, 'config_aiaa.json'), 'utf8')) as Record<string, unknown>;
    model = await fs.readFile(path.join(DEMO, 'model.onnx'));
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${t.base}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await removeWorkspace(t.workspace);
  });

  const versionsCell = (): ReturnType<Page['locator']> =>
    page.locator('#admin-models tr[data-model=switched] td').nth(5);

  it('lists both versions of a model uploaded twice, and makes the older one active with its button', async () => {
    browser.errors.length = 0;
    await upload(page, 'switched', JSON.stringify({ ...config, description: 'first upload' }), model);
    await upload(page, 'switched', JSON.stringify({ ...config, description: 'second upload' }), model);
    expect(await page.locator('#upload-done').textContent()).toBe(
      'Installed switched (segmentation, version 3, AIAA).',
    );
    await page.waitForSelector('#admin-models tr[data-model=switched] .active-version');
    expect(await versionsCell().locator('.active-version').textContent()).toBe('v2 (active) ');
    expect(await versionsCell().locator('button').allTextContents()).toEqual(['make v1 active']);
    expect(await page.locator('#models-table tr[data-model=switched] td').nth(4).textContent()).toBe('v2');

    await versionsCell().locator('button', { hasText: 'make v1 active' }).click();
    await versionsCell().locator('.active-version', { hasText: 'v1 (active)' }).waitFor();
    expect(await versionsCell().locator('button').allTextContents()).toEqual(['make v2 active']);
    // The server switched: its version list, /v1/models and the models table agree.
    const listed = (await (await fetch(`${t.base}/v1/models?model=switched`)).json()) as Record<string, unknown>;
    expect(listed).toMatchObject({ active_version: 1, description: 'first upload' });
    const versions = (await (await fetch(`${t.base}/admin/model/switched/versions`)).json()) as {
      activeVersion: number;
    };
    expect(versions.activeVersion).toBe(1);
    await page.locator('#models-table tr[data-model=switched] td:nth-child(5)', { hasText: /^v1$/ }).waitFor();
    expect(browser.errors).toEqual([]);
  });
});

describeWithChromium(`the admin panel from an address outside --admin_hosts${skipped}`, () => {
  const token = 'page-test-token';
  let t: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await startTestApp({ adminHosts: '192.0.2.1', adminToken: token });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await removeWorkspace(t.workspace);
  });

  it("says why admin is closed, in the server's words, and opens with the admin token", async () => {
    const { page } = browser;
    await page.goto(`${t.base}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    const denied = await fetch(`${t.base}/admin/model`);
    expect(denied.status).toBe(403);
    const { message } = (await denied.json()) as ErrorBody;
    expect(await page.locator('#admin-status').textContent()).toBe(`Admin is not open to this browser: ${message}`);
    expect(await page.locator('#admin-panel').isHidden()).toBe(true);

    await page.fill('#admin-token', token);
    await page.click('#token-form button');
    await page.waitForSelector('#admin-panel:not([hidden])');
    expect(await page.locator('#admin-status').textContent()).toBe('Administering with the admin token.');
    expect(browser.errors).toEqual([refused(403)]);
  });
});
