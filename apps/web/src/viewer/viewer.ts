import {
  DRAG_MODE,
  MULTIPLANAR_TYPE,
  NVImage,
  Niivue,
  SHOW_RENDER,
  SLICE_TYPE,
  type NiiVueLocation,
} from '@niivue/niivue';
import type { Voxel } from '../try/click-points';
import { countLabels, labelColour, labelName, labelTable, type Rgb } from './label-colours';

/** A click on one of the three planes: the voxel of the input image, and the image value niivue shows there. */
export interface ViewerClick {
  readonly voxel: Voxel;
  readonly shift: boolean;
  readonly value: number;
}

/** One label of the shown segmentation, for the legend. */
export interface LabelSummary {
  readonly value: number;
  readonly name: string;
  readonly colour: Rgb;
  readonly voxels: number;
  readonly millilitres: number;
}

/** What the page tells about a loaded image. */
export interface ImageSummary {
  /** [x, y, z] voxels. */
  readonly dims: readonly number[];
  readonly spacingMm: readonly number[];
}

// A click moves the pointer less than this (CSS pixels); more is a drag (crosshair drag, windowing, pan).
const CLICK_SLOP_PX = 4;

/**
 * The 3-plane viewer (niivue, WebGL2): the input image in grey, the segmentation as a label overlay. Left click moves
 * the crosshair and reports the voxel (shift-click too), right drag sets the window, middle drag pans, the wheel
 * scrolls slices.
 */
export class Viewer {
  #image: NVImage | undefined;
  #overlay: NVImage | undefined;
  #opacity = 0.5;
  #down: { x: number; y: number; shift: boolean } | undefined;
  #lastClick: ViewerClick | undefined;

  /** Called for each click on the image (not for drags). */
  onClick: ((click: ViewerClick) => void) | undefined;
  /** Called with niivue's description of the crosshair position (coordinates, value, label name). */
  onLocation: ((text: string) => void) | undefined;

  private constructor(
    readonly nv: Niivue,
    readonly canvas: HTMLCanvasElement,
  ) {
    // niivue focuses the canvas on each click (for its keyboard shortcuts); a plain focus() scrolls a canvas that is
    // partly below the fold into view between pointer down and up, moving the page under the user's pointer.
    const focus = canvas.focus.bind(canvas);
    canvas.focus = (options?: FocusOptions) => focus({ ...options, preventScroll: true });
    nv.onLocationChange = (location) => this.onLocation?.((location as NiiVueLocation).string);
    canvas.addEventListener('pointerdown', (e) => {
      this.#down = e.button === 0 ? { x: e.clientX, y: e.clientY, shift: e.shiftKey } : undefined;
    });
    canvas.addEventListener('pointerup', (e) => this.#pointerUp(e));
  }

  static async create(canvas: HTMLCanvasElement): Promise<Viewer> {
    const nv = new Niivue({
      backColor: [0.06, 0.07, 0.09, 1],
      crosshairColor: [0.2, 0.85, 1, 0.9],
      crosshairWidth: 1,
      isColorbar: false,
      isRadiologicalConvention: true,
      dragAndDropEnabled: false,
      multiplanarShowRender: SHOW_RENDER.NEVER,
      multiplanarLayout: MULTIPLANAR_TYPE.AUTO,
      // A large axial view (where CT is read and clicked) beside the three planes.
      heroImageFraction: 0.5,
      heroSliceType: SLICE_TYPE.AXIAL,
      isNearestInterpolation: true,
      logLevel: 'warn',
      mouseEventConfig: {
        leftButton: { primary: DRAG_MODE.crosshair, withShift: DRAG_MODE.crosshair, withCtrl: DRAG_MODE.crosshair },
        rightButton: DRAG_MODE.windowing,
        centerButton: DRAG_MODE.pan,
      },
    });
    await nv.attachToCanvas(canvas);
    nv.setSliceType(nv.sliceTypeMultiplanar);
    return new Viewer(nv, canvas);
  }

  /** Shows a new input image (a NIfTI file's bytes), dropping the previous image and its segmentation. */
  async showImage(bytes: ArrayBuffer, name: string): Promise<ImageSummary> {
    const image = await NVImage.loadFromUrl({ url: bytes, name, colormap: 'gray' });
    // Dropped without niivue's removeVolume: each of its calls rebuilds the GL volume (with the background's
    // gradient texture, seconds on a software-rendered WebGL), and addVolume rebuilds it once anyway.
    this.nv.volumes = [];
    this.#overlay = undefined;
    this.#image = image;
    this.nv.addVolume(image);
    const dims = image.hdr?.dims ?? [];
    const pixDims = image.hdr?.pixDims ?? [];
    return { dims: dims.slice(1, 1 + (dims[0] ?? 3)), spacingMm: pixDims.slice(1, 1 + (dims[0] ?? 3)) };
  }

  /** Overlays a label volume (the model's result) on the image, coloured and named after `labels`. */
  async showSegmentation(bytes: ArrayBuffer, labels: readonly string[]): Promise<LabelSummary[]> {
    const overlay = await NVImage.loadFromUrl({ url: bytes, name: 'result.nii.gz', opacity: this.#opacity });
    const counts = countLabels(overlay.img ?? []);
    const maxValue = Math.max(1, counts.length - 1);
    overlay.setColormapLabel(labelTable(maxValue, labels));
    // Replaced in one GL rebuild (addVolume's), as in showImage.
    this.nv.volumes = this.nv.volumes.filter((v) => v !== this.#overlay);
    this.#overlay = overlay;
    this.nv.addVolume(overlay);
    const pix = overlay.hdr?.pixDims ?? [];
    const voxelMl = ((pix[1] ?? 1) * (pix[2] ?? 1) * (pix[3] ?? 1)) / 1000;
    return counts.slice(1).map((voxels, i) => ({
      value: i + 1,
      name: labelName(i + 1, labels),
      colour: labelColour(i + 1),
      voxels,
      millilitres: voxels * voxelMl,
    }));
  }

  clearSegmentation(): void {
    if (this.#overlay) {
      this.nv.removeVolume(this.#overlay);
      this.#overlay = undefined;
    }
  }

  /** Overlay opacity 0..1 (kept for later segmentations). */
  setOpacity(opacity: number): void {
    this.#opacity = opacity;
    const index = this.#overlay ? this.nv.volumes.indexOf(this.#overlay) : -1;
    if (index >= 0) {
      this.nv.setOpacity(index, opacity);
    }
  }

  /** The shown input image and segmentation, as niivue holds them (file order, file datatype). */
  get image(): NVImage | undefined {
    return this.#image;
  }

  get segmentation(): NVImage | undefined {
    return this.#overlay;
  }

  get lastClick(): ViewerClick | undefined {
    return this.#lastClick;
  }

  #pointerUp(e: PointerEvent): void {
    const down = this.#down;
    this.#down = undefined;
    const image = this.#image;
    if (!down || e.button !== 0 || !image || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_SLOP_PX) {
      return;
    }
    // niivue moved the crosshair on pointer down; its position is in RAS texture space.
    const ras = this.nv.frac2vox(this.nv.scene.crosshairPos);
    const voxel = fileVoxel(image, [ras[0], ras[1], ras[2]]);
    this.#lastClick = { voxel, shift: down.shift, value: image.getValue(ras[0], ras[1], ras[2]) };
    this.onClick?.(this.#lastClick);
  }
}

/**
 * niivue shows every image turned to RAS; the AIAA API takes voxel indices of the file as stored. The image's
 * `toRASvox` maps a RAS voxel back to the file's (i, j, k), as niivue's own value lookup does.
 */
function fileVoxel(image: NVImage, ras: readonly [number, number, number]): Voxel {
  const perm = image.permRAS ?? [1, 2, 3];
  const matrix = image.toRASvox;
  if ((perm[0] === 1 && perm[1] === 2 && perm[2] === 3) || !matrix) {
    return [Math.round(ras[0]), Math.round(ras[1]), Math.round(ras[2])];
  }
  // gl-matrix mat4 is column-major: element (row r, column c) sits at c * 4 + r.
  const at = (r: number): number =>
    (matrix[r] ?? 0) * ras[0] + (matrix[4 + r] ?? 0) * ras[1] + (matrix[8 + r] ?? 0) * ras[2] + (matrix[12 + r] ?? 0);
  return [Math.round(at(0)), Math.round(at(1)), Math.round(at(2))];
}
