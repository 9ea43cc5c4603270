import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  AllocationBudget,
  InvalidInputError,
  MedicalImage,
  type Polygon,
  encodeGreyPng,
  isPng,
  moveVertex,
  moveVertexAcrossSlices,
  paintPlane,
  paintVolume,
  readNiftiGrid,
  readPngSize,
  writeNifti,
} from '@aiaa/core';
import { InferenceOptions } from '../inference-options';
import type { RouteResult } from '../../common/http-reply';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { type UploadedFile, clientBaseName, clientFileName } from '../../upload/upload-policy';
import { type FixPolygonParams, readFixPolygonParams } from './dto/fix-polygon-params.dto';

/** Bytes read to recognise a PNG and find its IHDR chunk (signature 8 + chunk head 8 + width and height 8). */
const PNG_HEAD_BYTES = 24;

/**
 * `POST /v1/fixpolygon` (AIAA-API §6): moves one polygon vertex, drags its neighbours along (and, in 3-D, the same
 * polygon on nearby slices), then paints the polygons into a mask on the reference image's grid. Replies multipart:
 * `params` = `{"poly": <the updated polygons>}` and the mask (`result.png` for 2-D, `result.nii.gz` for 3-D).
 */
@Injectable()
export class FixPolygonService {
  constructor(@Inject(InferenceOptions) private readonly options: InferenceOptions) {}

  /**
   * @throws InvalidInputError naming the part or `params.<field>`; InvalidNiftiError; TooLargeError;
   *   CancelledError when the client goes away.
   */
  async fix(upload: PendingUpload): Promise<RouteResult> {
    const signal = upload.signal;
    const timingsMs: Record<string, number> = {};
    let last = performance.now();
    const started = last;
    const lap = (stage: string): void => {
      const now = performance.now();
      timingsMs[stage] = now - last;
      last = now;
    };
    const parts = await upload.receive();
    const fields = parseParams(parts.fields.get('params'));
    lap('upload');
    const file = parts.requireFile(
      `multipart file part 'datapoint' (or 'image') is required: the image whose grid the mask takes`,
    );
    const params = readFixPolygonParams(fields);
    const reply =
      params.dimension === 2
        ? await this.fixPlane(params, file, parts.dir, lap)
        : await this.fixVolume(params, file, parts.dir, signal, lap);
    timingsMs['total'] = performance.now() - started;
    return { ...reply, timingsMs };
  }

  /** 2-D: the edited polygons painted into a PNG the size of the reference. */
  private async fixPlane(
    params: Extract<FixPolygonParams, { dimension: 2 }>,
    reference: UploadedFile,
    dir: string,
    lap: (stage: string) => void,
  ): Promise<{ json: { poly: Polygon[] }; file: string }> {
    const { width, height } = await this.planeSize(reference);
    lap('read');
    const polygons = params.polygons.map((polygon, p) =>
      p === params.polygonIndex ? moveVertex(polygon, params.vertexIndex, params.offset, params.neighbours) : polygon,
    );
    const budget = new AllocationBudget(this.options.requestBudget);
    budget.reserveVoxels(`the mask on the grid of ${describe(reference)}`, [height, width], 'uint8');
    const pixels = paintPlane(polygons, width, height, budget);
    lap('paint');
    const file = path.join(dir, 'result.png');
    await fs.writeFile(file, encodeGreyPng(pixels, width, height));
    lap('writer');
    return { json: { poly: polygons }, file };
  }

  /**
   * 3-D: the edited polygons painted slice by slice into a uint8 NIfTI on the reference's grid and affine, vertex
   * `[x, y]` of slice k at voxel (i = y, j = x, k) as the official client's polygons are.
   */
  private async fixVolume(
    params: Extract<FixPolygonParams, { dimension: 3 }>,
    reference: UploadedFile,
    dir: string,
    signal: AbortSignal,
    lap: (stage: string) => void,
  ): Promise<{ json: { poly: Polygon[][] }; file: string }> {
    // The mask is sized by the reference's grid: only a grid whose voxels were sent sizes one.
    const grid = await readNiftiGrid(reference.path, clientBaseName(reference), { requireVoxels: true });
    lap('read');
    const [sizeI, sizeJ, sizeK] = grid.sizeIjk;
    const budget = new AllocationBudget(this.options.requestBudget);
    // Checked before the polygons are moved: the reference's header alone sizes the mask.
    budget.reserveVoxels(`the mask on the grid of ${describe(reference)}`, [sizeK, sizeJ, sizeI], 'uint8');
    if (params.polygonsBySlice.length > sizeK) {
      throw new InvalidInputError(
        `params.poly: ${params.polygonsBySlice.length} slices, but the image has ${sizeK} (dim[3])`,
      );
    }
    const polygonsBySlice = moveVertexAcrossSlices(
      params.polygonsBySlice,
      params,
      params.offset,
      params.neighbours,
      params.slices,
    );
    const mask = await paintVolume(polygonsBySlice, grid.sizeIjk, signal, budget);
    lap('paint');
    const file = path.join(dir, 'result.nii.gz');
    const result = new MedicalImage({
      voxels: mask,
      shape: [sizeK, sizeJ, sizeI],
      shapeFormat: 'DHW',
      affine: grid.affine,
      header: grid.header,
      source: 'result.nii.gz',
    });
    await writeNifti(file, result);
    lap('writer');
    return { json: { poly: polygonsBySlice }, file };
  }

  /**
   * Width (x) and height (y) of a 2-D reference, from its header alone: a PNG's IHDR, or a NIfTI with one slice,
   * whose x runs along its second voxel axis (j) and y along its first (i), as AIAA's polygons on NIfTI slices do.
   * @throws InvalidInputError for a NIfTI with more slices.
   */
  private async planeSize(file: UploadedFile): Promise<{ width: number; height: number }> {
    const handle = await fs.open(file.path, 'r');
    const head = new Uint8Array(PNG_HEAD_BYTES);
    let read: number;
    try {
      ({ bytesRead: read } = await handle.read(head, 0, PNG_HEAD_BYTES, 0));
    } finally {
      await handle.close();
    }
    let size: { width: number; height: number };
    if (isPng(head.subarray(0, read))) {
      size = readPngSize(head.subarray(0, read), clientFileName(file));
    } else {
      const grid = await readNiftiGrid(file.path, clientBaseName(file), { requireVoxels: true });
      const [height, width, depth] = grid.sizeIjk;
      if (depth !== 1) {
        throw new InvalidInputError(
          `${clientFileName(file)}: dimension 2 needs a PNG or a single-slice NIfTI, got ${depth} slices (send dimension 3)`,
        );
      }
      size = { width, height };
    }
    return size;
  }
}

/** The reference as refusals name it: the client's file name. */
function describe(file: UploadedFile): string {
  return clientBaseName(file);
}
