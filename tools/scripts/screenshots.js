#!/usr/bin/env node
// Takes the README's screenshots of the page (docs/page-*.png) with Debian's Chromium, against a real server that
// this script starts on 127.0.0.1 with a temporary copy of the demo models, and stops again.
//   npm run screenshots [-- --out docs]
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const outDir = path.resolve(root, argValue('--out') ?? 'docs');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `npm start` on a temporary workspace holding the demo models; resolves once /health answers (at most 90 s). */
async function startServer() {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaa-shots-'));
  // The shipped demo models (version 1 of each), not whatever else the checkout's workspace holds.
  for (const name of ['annotation_ct_dextr3d', 'body_bone_ct', 'deepgrow_ct_window', 'spleen_ct_threshold']) {
    const from = path.join(root, 'workspace', 'models', name, '1');
    fs.cpSync(from, path.join(workspace, 'models', name, '1'), { recursive: true });
  }
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['tools/scripts/start.js', '--workspace', workspace, '--port', String(port), '--host', '127.0.0.1'],
    { cwd: root, detached: true, stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  };
  for (let i = 0; i < 360; i++) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return { base, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error('the server did not answer /health within 90 s');
}

async function waitForRun(page, runs) {
  await page.waitForSelector(
    `#try-section[data-state="done"]:not([data-runs="${runs}"]), #try-section[data-state="error"]`,
    { timeout: 180_000 },
  );
  const error = await page.locator('#try-error').textContent();
  if (error) {
    throw new Error(`the run failed: ${error}`);
  }
}

async function shoot(page, name, selector, clip) {
  const file = path.join(outDir, name);
  await (clip ? page.screenshot({ path: file, clip }) : page.locator(selector).screenshot({ path: file }));
  console.log(`${path.relative(root, file)}: ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaa-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.base}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
    await page.waitForSelector('#try-section[data-state=ready]', { timeout: 120_000 });

    await page.selectOption('#model-select', 'spleen_ct_threshold');
    await page.click('#run-button');
    await waitForRun(page, '0');
    await shoot(page, 'page-overview.png', 'body', { x: 0, y: 0, width: 1200, height: 900 });

    await page.selectOption('#model-select', 'deepgrow_ct_window');
    const tile = await page.evaluate(() => window.aiaaPage.axialTile());
    const box = await page.locator('#viewer-canvas').boundingBox();
    const at = (fx, fy) => [box.x + tile.left + tile.width * fx, box.y + tile.top + tile.height * fy];
    await page.mouse.click(...at(0.62, 0.45));
    await waitForRun(page, '1');
    await page.keyboard.down('Shift');
    await page.mouse.click(...at(0.4, 0.6));
    await page.keyboard.up('Shift');
    await waitForRun(page, '2');
    await shoot(page, 'page-deepgrow.png', '#try-section');

    await page.fill('#upload-name', 'broken');
    const config = { type: 'segmentation', labels: ['spleen'], pre_transforms: [{ name: 'LoadNifty' }] };
    await page.setInputFiles('#upload-config', {
      name: 'config_aiaa.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(config)),
    });
    await page.click('#upload-button');
    await page.waitForSelector('#upload-error:not([hidden])');
    await shoot(page, 'page-admin.png', '#admin-section');
  } finally {
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
    server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
