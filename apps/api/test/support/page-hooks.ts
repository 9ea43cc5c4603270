import type { Page } from 'playwright-core';

/** A volume as the page holds it (apps/web/src/page-hooks.ts). */
export interface PageVolume {
  dims: number[];
  datatypeCode: number;
  sha256: string;
  nonzero: number;
}

/** What `window.aiaaPage` offers (apps/web/src/page-hooks.ts); the web project is not imported, only mirrored. */
interface AiaaPageHooks {
  segmentation(): Promise<PageVolume | undefined>;
  segmentationAt(x: number, y: number, z: number): number | undefined;
  canvasPixels(): { total: number; nonBackground: number; reddish: number };
  lastClick(): { voxel: [number, number, number]; shift: boolean; value: number } | undefined;
  axialTile(): { left: number; top: number; width: number; height: number } | undefined;
}

// The callbacks below run in the page (Playwright sends their source): they can name only the page's globals.
type PageGlobal = { aiaaPage: AiaaPageHooks };

/** The page's hooks, called from the test. */
export function pageHooks(page: Page) {
  return {
    segmentation: () => page.evaluate(() => (globalThis as unknown as PageGlobal).aiaaPage.segmentation()),
    segmentationAt: (voxel: readonly number[]) =>
      page.evaluate(
        ([x = 0, y = 0, z = 0]) => (globalThis as unknown as PageGlobal).aiaaPage.segmentationAt(x, y, z),
        [...voxel],
      ),
    canvasPixels: () => page.evaluate(() => (globalThis as unknown as PageGlobal).aiaaPage.canvasPixels()),
    lastClick: () => page.evaluate(() => (globalThis as unknown as PageGlobal).aiaaPage.lastClick()),
    axialTile: () => page.evaluate(() => (globalThis as unknown as PageGlobal).aiaaPage.axialTile()),
  };
}
