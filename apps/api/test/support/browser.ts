import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const chromiumMissing = fs.existsSync(CHROMIUM_PATH)
  ? undefined
  : `${CHROMIUM_PATH} not found: apt-get install chromium (or set CHROMIUM_PATH)`;

/** A headless Chromium with a fresh profile, and the page it opened. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console messages of type error and uncaught page errors, in order. */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh `--user-data-dir` and no background traffic (no component updates, sync or
 * QUIC), software WebGL2 through SwiftShader (no GPU here), and collects console errors.
 */
export async function launchBrowser(viewport = { width: 1400, height: 1000 }): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
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
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
