import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMultipartReply, sendPyMultipart, type RawReply } from '../support/inference-helpers';
import { readGreyPng } from '../support/grey-png-reader';
import { niftiVoxels, type NiftiVoxels } from '../support/nifti-voxels';
import { useTestApp, type TestApp } from '../support/test-app';

// Real HTTP on a shared 2-core machine, 32 M-voxel masks: allow for a loaded CPU.
jest.setTimeout(60_000);

/**
 * The official Python client's own test data (NVIDIA/ai-assisted-annotation-client at 2706251, see
 * ../fixtures/README.md): its test cases, the 2-D fixpolygon input PNG and the mask of its mask2polygon test.
 */
const FIXTURES = path.join(__dirname, '../fixtures');
const CLIENT_TESTS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'aiaa_client_aas_tests.json'), 'utf8')) as {
  tests: { name: string; polygons: unknown; index: number[]; vertex_offset: number[]; propagate_neighbor: unknown }[];
};
const CLIENT_MASK = fs.readFileSync(path.join(FIXTURES, 'aiaa_client_mask2polygon_input.nii.gz'));
const CLIENT_PNG = fs.readFileSync(path.join(FIXTURES, 'aiaa_client_fixpolygon_input.png'));

function clientCase(name: string) {
  const found = CLIENT_TESTS.tests.find((test) => test.name === name);
  if (!found) {
    throw new Error(`${name} is not in aiaa_client_aas_tests.json`);
  }
  return found;
}

type Point = [number, number];

/**
 * The params the official client's `fixpolygon(image_in, image_out, polygons, index, vertex_offset,
 * propagate_neighbor)` sends (py_client/client_api.py): the index is [polygon, vertex] in 2-D and
 * [slice, polygon, vertex] in 3-D, where propagate_neighbor is [slices, vertices].
 */
function clientParams(test: ReturnType<typeof clientCase>, offset = test.vertex_offset): Record<string, unknown> {
  if (test.index.length === 3) {
    const [slices, vertices] = test.propagate_neighbor as [number, number];
    const [slice, polygon, vertex] = test.index;
    return {
      poly: test.polygons,
      vertex_offset: offset,
      dimension: 3,
      slice_index: slice,
      polygon_index: polygon,
      vertex_index: vertex,
      propagate_neighbor_3d: slices,
      propagate_neighbor: vertices,
    };
  }
  const [polygon, vertex] = test.index;
  return {
    poly: test.polygons,
    vertex_offset: offset,
    dimension: 2,
    polygon_index: polygon,
    vertex_index: vertex,
    propagate_neighbor: test.propagate_neighbor,
  };
}

function fixpolygon(t: TestApp, params: unknown, content: Buffer, filename: string): Promise<RawReply> {
  return sendPyMultipart('POST', `${t.base}/v1/fixpolygon`, { params: JSON.stringify(params) }, [
    { field: 'datapoint', filename, content },
  ]);
}

function replyOf(reply: RawReply): { poly: unknown; image: Buffer } {
  expect({ status: reply.status, body: reply.status === 200 ? '' : reply.body.toString() }).toEqual({
    status: 200,
    body: '',
  });
  const parts = parseMultipartReply(reply);
  const params = JSON.parse(parts.find((p) => p.name === 'params')?.body.toString() ?? 'null') as { poly: unknown };
  return { poly: params.poly, image: parts.find((p) => p.filename !== undefined)?.body ?? Buffer.alloc(0) };
}

/** Whether voxel (i, j, k) of a NIfTI volume is non-zero (any datatype: one of its bytes is). */
function isSet(volume: NiftiVoxels, i: number, j: number, k: number): boolean {
  const [sizeI, sizeJ] = volume.dims;
  const at = (i + sizeI * (j + sizeJ * k)) * volume.bytesPerVoxel;
  for (let b = 0; b < volume.bytesPerVoxel; b++) {
    if (volume.bytes[at + b] !== 0) {
      return true;
    }
  }
  return false;
}

/** Dice of two volumes on the same grid over the slices `ks`. */
function diceOnSlices(a: NiftiVoxels, b: NiftiVoxels, ks: number[]): number {
  const [sizeI, sizeJ] = a.dims;
  let both = 0;
  let total = 0;
  for (const k of ks) {
    for (let j = 0; j < sizeJ; j++) {
      for (let i = 0; i < sizeI; i++) {
        const inA = isSet(a, i, j, k);
        const inB = isSet(b, i, j, k);
        both += inA && inB ? 1 : 0;
        total += (inA ? 1 : 0) + (inB ? 1 : 0);
      }
    }
  }
  return (2 * both) / total;
}

describe("the official client's polygon test data (real app, real HTTP on 127.0.0.1)", () => {
  const t = useTestApp();
  const mask = niftiVoxels(CLIENT_MASK);
  const threeD = clientCase('test_fixpolygon_3d_spleen');
  const polygonsBySlice = threeD.polygons as Point[][][];
  const slicesWithPolygons = polygonsBySlice.flatMap((polygons, k) => (polygons.length > 0 ? [k] : []));

  it('the fixture is what its notes say: 210 slices of polygons on the 392×392×210 mask', () => {
    expect(mask.dims).toEqual([392, 392, 210]);
    expect(polygonsBySlice).toHaveLength(210);
    expect(slicesWithPolygons.length).toBeGreaterThan(20);
  });

  it('3-D: its polygons, moved by [0, 0], paint back onto its mask (Dice ≥ 0.9 on the slices with polygons)', async () => {
    const { poly, image } = replyOf(await fixpolygon(t, clientParams(threeD, [0, 0]), CLIENT_MASK, 'image.nii.gz'));
    expect(poly).toEqual(polygonsBySlice);
    const painted = niftiVoxels(image);
    expect(painted.dims).toEqual(mask.dims);
    const dice = diceOnSlices(painted, mask, slicesWithPolygons);
    // Read with the transposed axes, as the server once painted them, the overlap is 0.
    expect(dice).toBeGreaterThanOrEqual(0.9);
  });

  it('3-D: its own edit (slice 104, polygon 0, vertex 4 by [8, 5]) moves the vertex where the client expects', async () => {
    const { poly, image } = replyOf(await fixpolygon(t, clientParams(threeD), CLIENT_MASK, 'image.nii.gz'));
    const [k, p, v] = threeD.index as [number, number, number];
    const [x, y] = polygonsBySlice[k]?.[p]?.[v] as Point;
    const [dx, dy] = threeD.vertex_offset as [number, number];
    expect((poly as Point[][][])[k]?.[p]?.[v]).toEqual([x + dx, y + dy]);
    // Vertex [x, y] of slice k is voxel (i = y, j = x, k): the moved vertex is painted there, and not transposed.
    const painted = niftiVoxels(image);
    expect(isSet(painted, y + dy, x + dx, k)).toBe(true);
    expect(isSet(painted, x + dx, y + dy, k)).toBe(false);
    // Slices 99..109 (5 each side) were edited; the ones beyond were not.
    const changed = (poly as Point[][][]).flatMap((polygons, s) =>
      JSON.stringify(polygons) === JSON.stringify(polygonsBySlice[s]) ? [] : [s],
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(Math.min(...changed)).toBeGreaterThanOrEqual(k - 5);
    expect(Math.max(...changed)).toBeLessThanOrEqual(k + 5);
  });

  it('mask2polygon of its mask gives vertices on mask[y, x, z], polygons exactly on the non-empty slices', async () => {
    const reply = await sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: '{"more_points": 1}' }, [
      { field: 'datapoint', filename: 'mask2polygon.input.nii.gz', content: CLIENT_MASK },
    ]);
    expect(reply.status).toBe(200);
    const slices = JSON.parse(reply.body.toString('utf8')) as Point[][][];
    const [sizeI, sizeJ, sizeK] = mask.dims;
    expect(slices).toHaveLength(sizeK);
    let vertices = 0;
    let onMask = 0;
    let onTransposed = 0;
    const nonEmpty: number[] = [];
    const answered: number[] = [];
    for (let k = 0; k < sizeK; k++) {
      if (slices[k]?.length) {
        answered.push(k);
      }
      let any = false;
      for (let j = 0; j < sizeJ && !any; j++) {
        for (let i = 0; i < sizeI && !any; i++) {
          any = isSet(mask, i, j, k);
        }
      }
      if (any) {
        nonEmpty.push(k);
      }
      for (const polygon of slices[k] ?? []) {
        for (const [x, y] of polygon) {
          vertices++;
          onMask += isSet(mask, y, x, k) ? 1 : 0;
          onTransposed += isSet(mask, x, y, k) ? 1 : 0;
        }
      }
    }
    expect(answered).toEqual(nonEmpty);
    expect(vertices).toBeGreaterThan(500);
    expect({ onMask, onTransposed: onTransposed < vertices / 2 }).toEqual({ onMask: vertices, onTransposed: true });
  });

  it('2-D: its edit of the spleen outline on its PNG paints the bright spleen, rows being y', async () => {
    const twoD = clientCase('test_fixpolygon_spleen');
    const { poly, image } = replyOf(await fixpolygon(t, clientParams(twoD), CLIENT_PNG, 'fixpolygon.input.png'));
    const [p, v] = twoD.index as [number, number];
    const [x, y] = (twoD.polygons as Point[][])[p]?.[v] as Point;
    const [dx, dy] = twoD.vertex_offset as [number, number];
    expect((poly as Point[][])[p]?.[v]).toEqual([x + dx, y + dy]);
    const input = readGreyPng(CLIENT_PNG);
    const result = readGreyPng(image);
    expect([result.width, result.height]).toEqual([input.width, input.height]);
    expect(result.pixels[(y + dy) * result.width + x + dx]).toBe(1);
    // The spleen is bright on this slice (grey ≥ 128 of 255): nearly every painted pixel lies on it.
    let painted = 0;
    let bright = 0;
    result.pixels.forEach((value, at) => {
      painted += value;
      bright += value === 1 && (input.pixels[at] as number) >= 128 ? 1 : 0;
    });
    expect(painted).toBeGreaterThan(2000);
    expect(bright / painted).toBeGreaterThanOrEqual(0.95);
  });
});
