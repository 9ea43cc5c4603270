import type { Viewer, ViewerClick } from './viewer/viewer';

/** What the page holds, read by the browser tests (and handy from the devtools console). */
export interface PageHooks {
  /** The shown segmentation as niivue holds it: dims [x, y, z], NIfTI datatype code, SHA-256 of the voxel bytes. */
  segmentation(): Promise<VolumeDigest | undefined>;
  /** The segmentation's value at file voxel [x, y, z] (undefined without one). */
  segmentationAt(x: number, y: number, z: number): number | undefined;
  /** Counts of the canvas's pixels: all, non-background and red-dominant (the label-1 overlay colour). */
  canvasPixels(): { total: number; nonBackground: number; reddish: number };
  /** The last click on the image: file voxel [x, y, z] and the image value niivue shows there. */
  lastClick(): ViewerClick | undefined;
  /** Where the axial tile of the 3-plane view is, in CSS pixels relative to the canvas. */
  axialTile(): { left: number; top: number; width: number; height: number } | undefined;
}

export interface VolumeDigest {
  readonly dims: number[];
  readonly datatypeCode: number;
  readonly sha256: string;
  readonly nonzero: number;
}

declare global {
  interface Window {
    aiaaPage?: PageHooks;
  }
}

const AXIAL = 0;

/** Puts the hooks on `window.aiaaPage`. */
export function exposePageHooks(viewer: Viewer): void {
  window.aiaaPage = {
    async segmentation() {
      const volume = viewer.segmentation;
      if (!volume?.img || !volume.hdr) {
        return undefined;
      }
      const img = volume.img;
      // niivue's volumes live in plain ArrayBuffers (never shared memory).
      const bytes = new Uint8Array(img.buffer as ArrayBuffer, img.byteOffset, img.byteLength);
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      let nonzero = 0;
      for (let i = 0; i < img.length; i++) {
        if (img[i] !== 0) {
          nonzero++;
        }
      }
      return {
        dims: volume.hdr.dims.slice(1, 4),
        datatypeCode: volume.hdr.datatypeCode,
        sha256: Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join(''),
        nonzero,
      };
    },
    segmentationAt(x, y, z) {
      const volume = viewer.segmentation;
      const dims = volume?.hdr?.dims;
      if (!volume?.img || !dims) {
        return undefined;
      }
      const [nx = 0, ny = 0] = [dims[1], dims[2]];
      return volume.img[x + nx * (y + ny * z)];
    },
    canvasPixels() {
      const gl = viewer.nv.gl;
      // Read in the same task as the draw: the WebGL buffer is only valid until the browser composites it.
      viewer.nv.drawScene();
      const { drawingBufferWidth: width, drawingBufferHeight: height } = gl;
      const pixels = new Uint8Array(width * height * 4);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
      const back = [pixels[0], pixels[1], pixels[2]];
      let nonBackground = 0;
      let reddish = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const r = pixels[i] ?? 0;
        const g = pixels[i + 1] ?? 0;
        const b = pixels[i + 2] ?? 0;
        if (r !== back[0] || g !== back[1] || b !== back[2]) {
          nonBackground++;
        }
        if (r > g + 60 && r > b + 60) {
          reddish++;
        }
      }
      return { total: width * height, nonBackground, reddish };
    },
    lastClick() {
      return viewer.lastClick;
    },
    axialTile() {
      const dpr = viewer.nv.uiData.dpr ?? 1;
      const tile = viewer.nv.screenSlices.find((s) => s.axCorSag === AXIAL);
      if (!tile) {
        return undefined;
      }
      const [left = 0, top = 0, width = 0, height = 0] = tile.leftTopWidthHeight;
      return { left: left / dpr, top: top / dpr, width: width / dpr, height: height / dpr };
    },
  };
}
