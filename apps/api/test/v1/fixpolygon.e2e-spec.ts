import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { crc32, deflateSync, gunzipSync } from 'node:zlib';
import {
  DT_UINT8,
  errorMessage,
  parseMultipartReply,
  readTestNifti,
  sendPyMultipart,
  writeTestNifti,
  type ParsedPart,
  type RawReply,
} from '../support/inference-helpers';
import { readGreyPng } from '../support/grey-png-reader';
import { PY_CLIENT_SCRIPT, hasPythonCgi } from '../support/python-client';
import { useTestApp, type TestApp } from '../support/test-app';

// Real servers on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

/** A PNG chunk laid out by hand from the PNG spec (§5.3): length, type, data, CRC-32 of type and data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A black 8-bit grey PNG of width × height, built here independently of the server's encoder. */
function blackPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc((width + 1) * height))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rows of '#' (non-zero) and '.' (zero) of an 8-bit grey PNG, decoded by the spec (support/grey-png-reader). */
function pngRows(png: Buffer): string[] {
  const { width, height, pixels } = readGreyPng(png);
  return Array.from({ length: height }, (_, y) =>
    Array.from(pixels.subarray(y * width, (y + 1) * width), (v) => (v ? '#' : '.')).join(''),
  );
}

/**
 * Slice k of NIfTI voxels as AIAA's polygons see it: rows y = i, columns x = j (the voxels are stored i fastest), as
 * rows of '#' and '.'.
 */
function sliceImage(voxels: number[], sizeI: number, sizeJ: number, k: number): string[] {
  return Array.from({ length: sizeI }, (_, i) =>
    Array.from({ length: sizeJ }, (_, j) => (voxels[i + sizeI * (j + sizeJ * k)] ? '#' : '.')).join(''),
  );
}

/** Slice k of NIfTI voxels (i fastest) in stored order, one row per j, as rows of '#' and '.'. */
function sliceRows(voxels: number[], sizeX: number, sizeY: number, k: number): string[] {
  return Array.from({ length: sizeY }, (_, y) =>
    voxels
      .slice((k * sizeY + y) * sizeX, (k * sizeY + y + 1) * sizeX)
      .map((v) => (v ? '#' : '.'))
      .join(''),
  );
}

/** The mask the official Python client sends in its own mask2polygon test (392×392×210 uint16, qform only). */
const CLIENT_MASK = path.join(__dirname, '../fixtures', 'aiaa_client_mask2polygon_input.nii.gz');

/** Dims and uint16 voxels of a little-endian NIfTI-1, read by the standard's layout. */
function uint16Voxels(raw: Buffer): { dims: [number, number, number]; voxels: Uint16Array } {
  const dims: [number, number, number] = [raw.readInt16LE(42), raw.readInt16LE(44), raw.readInt16LE(46)];
  const offset = Math.round(raw.readFloatLE(108));
  const count = dims[0] * dims[1] * dims[2];
  return { dims, voxels: new Uint16Array(Uint8Array.prototype.slice.call(raw, offset, offset + 2 * count).buffer) };
}

/**
 * 1 where a background pixel is enclosed by the mask (a hole): not reachable from the border through background by
 * 4-connected steps, the complement of the 8-connected foreground that mask2polygon traces.
 */
function holesOf(slice: Uint16Array, sizeX: number, sizeY: number): Uint8Array {
  const outside = new Uint8Array(sizeX * sizeY);
  const stack = new Int32Array(sizeX * sizeY);
  let top = 0;
  const push = (x: number, y: number): void => {
    const i = y * sizeX + x;
    if (x >= 0 && y >= 0 && x < sizeX && y < sizeY && outside[i] === 0 && slice[i] === 0) {
      outside[i] = 1;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < sizeX; x++) {
    push(x, 0);
    push(x, sizeY - 1);
  }
  for (let y = 0; y < sizeY; y++) {
    push(0, y);
    push(sizeX - 1, y);
  }
  // Each pixel is pushed at most once, so the loop ends within sizeX × sizeY steps.
  while (top > 0) {
    const i = stack[--top] as number;
    const x = i % sizeX;
    const y = (i - x) / sizeX;
    push(x + 1, y);
    push(x - 1, y);
    push(x, y + 1);
    push(x, y - 1);
  }
  return Uint8Array.from(slice, (v, i) => (v === 0 && outside[i] === 0 ? 1 : 0));
}

function fixpolygon(t: TestApp, params: unknown, content: Buffer, filename: string, field = 'datapoint') {
  return sendPyMultipart('POST', `${t.base}/v1/fixpolygon`, { params: JSON.stringify(params) }, [
    { field, filename, content },
  ]);
}

/** The reply's two parts, checked as the Python client's cgi.FieldStorage needs them. */
function replyParts(reply: RawReply): { params: { poly: unknown }; image: ParsedPart } {
  expect(reply.status).toBe(200);
  expect(reply.headers['transfer-encoding']).toBeUndefined();
  expect(reply.headers['content-length']).toBe(String(reply.body.length));
  const parts = parseMultipartReply(reply);
  expect(parts.map((p) => p.name)).toEqual(['params', 'image']);
  const [params, image] = parts as [ParsedPart, ParsedPart];
  expect(params.headers['content-type']).toBeUndefined();
  return { params: JSON.parse(params.body.toString('utf8')) as { poly: unknown }, image };
}

const square = [
  [1, 1],
  [5, 1],
  [5, 5],
  [1, 5],
];

describe('POST /v1/fixpolygon (real app, real HTTP on 127.0.0.1)', () => {
  const t = useTestApp();

  it('2-D: moves the vertex, its neighbours by half, and answers the polygon and its PNG mask on the PNG grid', async () => {
    const reply = await fixpolygon(
      t,
      { poly: [square], vertex_offset: [2, 0], dimension: 2, polygon_index: 0, vertex_index: 2, propagate_neighbor: 1 },
      blackPng(8, 7),
      'slice.png',
    );
    const { params, image } = replyParts(reply);
    // (5, 5) moves by (2, 0); with one neighbour each side, (5, 1) and (1, 5) move by half of it, (1, 0).
    expect(params).toEqual({
      poly: [
        [
          [1, 1],
          [6, 1],
          [7, 5],
          [2, 5],
        ],
      ],
    });
    expect(image.filename).toBe('result.png');
    expect(image.headers['content-type']).toBe('application/octet-stream');
    // The parallelogram's left edge runs x = 1 + (y − 1)/4, its right edge x = 6 + (y − 1)/4: pixel centres between.
    expect(pngRows(image.body)).toEqual([
      '........',
      '.######.',
      '..#####.',
      '..#####.',
      '..#####.',
      '..######',
      '........',
    ]);
  });

  it("2-D: the official Python client's own test edit (index [0, 14], offset [8, 5], one neighbour)", async () => {
    const polygon = [
      [53, 169], [56, 158], [59, 147], [65, 136], [74, 127], [82, 132], [85, 142], [89, 151], [93, 161], [92, 172],
      [85, 181], [81, 192], [84, 202], [82, 212], [73, 212], [65, 216], [59, 207], [56, 197], [54, 187], [53, 176],
    ]; // prettier-ignore
    const reply = await fixpolygon(
      t,
      {
        poly: [polygon],
        vertex_offset: [8, 5],
        dimension: 2,
        polygon_index: 0,
        vertex_index: 14,
        propagate_neighbor: 1,
      },
      blackPng(256, 256),
      'fixpolygon.input.png',
    );
    const { params, image } = replyParts(reply);
    const expected = polygon.map((p) => [...p]);
    expected[14] = [81, 217];
    expected[13] = [86, 215]; // half of (8, 5) is (4, 2.5), rounded away from zero to (4, 3)
    expected[15] = [69, 219];
    expect(params).toEqual({ poly: [expected] });
    const rows = pngRows(image.body);
    expect(rows).toHaveLength(256);
    expect(rows[217]?.[81]).toBe('#');
    expect(rows[212]?.[73]).toBe('#'); // the old vertex is now inside the widened polygon
    expect(rows[0]).toBe('.'.repeat(256));
  });

  it('2-D on a single-slice NIfTI: the PNG is as wide as its second axis (x = j) and as high as its first (y = i)', async () => {
    const reference = writeTestNifti({ dims: [3, 8, 1], datatype: DT_UINT8, voxels: new Uint8Array(24) });
    const line = [
      [1, 1],
      [6, 1],
    ];
    const reply = await fixpolygon(
      t,
      { poly: [line], vertex_offset: [0, 0], dimension: 2, polygon_index: 0, vertex_index: 0 },
      reference,
      'slice.nii',
    );
    const { image } = replyParts(reply);
    expect(pngRows(image.body)).toEqual(['........', '.######.', '........']);
  });

  it('3-D: edits the slice and, scaled by half, the slices next to it; the NIfTI keeps the grid and affine', async () => {
    // 5 (i) × 6 (j) × 4: as AIAA reads a slice, 5 rows (y = i) of 6 columns (x = j).
    const reference = writeTestNifti({
      dims: [5, 6, 4],
      datatype: DT_UINT8,
      voxels: new Uint8Array(120),
      spacing: [2, 3, 4],
      origin: [10, 20, 30],
    });
    const small = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3],
    ];
    const reply = await fixpolygon(
      t,
      {
        poly: [[], [small], [small], [small]],
        vertex_offset: [2, 0],
        dimension: 3,
        slice_index: 2,
        polygon_index: 0,
        vertex_index: 1,
        propagate_neighbor_3d: 1,
        propagate_neighbor: 0,
      },
      reference,
      'image.nii.gz',
    );
    const { params, image } = replyParts(reply);
    const half = [
      [1, 1],
      [4, 1],
      [3, 3],
      [1, 3],
    ];
    const whole = [
      [1, 1],
      [5, 1],
      [3, 3],
      [1, 3],
    ];
    expect(params).toEqual({ poly: [[], [half], [whole], [half]] });
    expect(image.filename).toBe('result.nii.gz');
    const nifti = readTestNifti(image.body);
    expect(nifti.dims).toEqual([5, 6, 4]);
    expect(nifti.datatype).toBe(DT_UINT8);
    expect(nifti.srow).toEqual([
      [2, 0, 0, 10],
      [0, 3, 0, 20],
      [0, 0, 4, 30],
    ]);
    expect(sliceImage(nifti.voxels, 5, 6, 0)).toEqual(['......', '......', '......', '......', '......']);
    // Right edge x = 4 − (y − 1)/2 on slices 1 and 3, x = 5 − (y − 1) on slice 2.
    const halfRows = ['......', '.####.', '.###..', '.###..', '......'];
    expect(sliceImage(nifti.voxels, 5, 6, 1)).toEqual(halfRows);
    expect(sliceImage(nifti.voxels, 5, 6, 2)).toEqual(['......', '.#####', '.####.', '.###..', '......']);
    expect(sliceImage(nifti.voxels, 5, 6, 3)).toEqual(halfRows);
  });

  it('3-D: what mask2polygon outlines, fixpolygon with a zero offset paints back (file part named image, as C++ sends)', async () => {
    const rows = [
      ['#.......', '#.......', '####....', '####..##', '......##'],
      ['........', '..###...', '.#####..', '..###...', '...#....'],
    ];
    const voxels = Uint8Array.from(rows.flat().join(''), (c) => (c === '#' ? 1 : 0));
    const mask = writeTestNifti({ dims: [8, 5, 2], datatype: DT_UINT8, voxels });
    const outlined = await sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: '{"more_points": 0}' }, [
      { field: 'datapoint', filename: 'mask.nii', content: mask },
    ]);
    expect(outlined.status).toBe(200);
    const poly = JSON.parse(outlined.body.toString('utf8')) as number[][][][];
    const reply = await fixpolygon(
      t,
      { poly, vertex_offset: [0, 0], dimension: 3, slice_index: 0, polygon_index: 0, vertex_index: 0 },
      mask,
      'mask.nii',
      'image',
    );
    const { params, image } = replyParts(reply);
    expect(params).toEqual({ poly });
    const painted = readTestNifti(image.body);
    expect(sliceRows(painted.voxels, 8, 5, 0)).toEqual(rows[0]);
    expect(sliceRows(painted.voxels, 8, 5, 1)).toEqual(rows[1]);
  });

  it("3-D: the official client's mask2polygon test mask paints back voxel for voxel, plus exactly its holes", async () => {
    const content = await fs.readFile(CLIENT_MASK);
    const outlined = await sendPyMultipart('POST', `${t.base}/v1/mask2polygon`, { params: '{"more_points": 1}' }, [
      { field: 'datapoint', filename: 'mask.nii.gz', content },
    ]);
    const poly = JSON.parse(outlined.body.toString('utf8')) as number[][][][];
    const sliceIndex = poly.findIndex((polygons) => polygons.length > 0);
    const reply = await fixpolygon(
      t,
      { poly, vertex_offset: [0, 0], dimension: 3, slice_index: sliceIndex, polygon_index: 0, vertex_index: 0 },
      content,
      'mask.nii.gz',
    );
    const { image } = replyParts(reply);
    const original = uint16Voxels(gunzipSync(content));
    const painted = gunzipSync(image.body);
    const paintedOffset = Math.round(painted.readFloatLE(108));
    const [sx, sy, sz] = original.dims;
    expect([painted.readInt16LE(42), painted.readInt16LE(44), painted.readInt16LE(46)]).toEqual([sx, sy, sz]);
    let missing = 0;
    let extra = 0;
    let holes = 0;
    for (let z = 0; z < sz; z++) {
      const slice = original.voxels.subarray(z * sx * sy, (z + 1) * sx * sy);
      // An empty slice has no holes: skip its flood fill (most of the 210 slices are empty).
      const hole = slice.some((v) => v !== 0) ? holesOf(slice, sx, sy) : new Uint8Array(sx * sy);
      for (let i = 0; i < sx * sy; i++) {
        const set = painted[paintedOffset + z * sx * sy + i] !== 0;
        missing += slice[i] !== 0 && !set ? 1 : 0;
        extra += slice[i] === 0 && set && hole[i] === 0 ? 1 : 0;
        holes += hole[i] === 1 && set ? 1 : 0;
      }
    }
    expect({ missing, extra }).toEqual({ missing: 0, extra: 0 });
    // Counted by the flood fill below; also 261 by an independent Python flood fill of the same file.
    expect(holes).toBe(261);
  });

  // Skipped where python3 lacks the cgi module (Python ≥ 3.13), which the official client needs too.
  (hasPythonCgi() ? it : it.skip)(
    "is read by the Python client's cgi.FieldStorage: params.poly and the PNG",
    async () => {
      const png = path.join(t.workspace, 'slice.png');
      await fs.writeFile(png, blackPng(8, 7));
      const params = { poly: [square], vertex_offset: [0, 1], dimension: 2, polygon_index: 0, vertex_index: 0 };
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          'python3',
          [PY_CLIENT_SCRIPT, '127.0.0.1', new URL(t.base).port, '/v1/fixpolygon', JSON.stringify(params), png],
          { timeout: 30_000 },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        );
      });
      const summary = JSON.parse(stdout) as {
        status: number;
        params: { poly: number[][][] };
        files: Record<string, { filename: string; bytes: number }>;
      };
      expect(summary.status).toBe(200);
      expect(summary.params.poly).toEqual([
        [
          [1, 2],
          [5, 1],
          [5, 5],
          [1, 5],
        ],
      ]);
      expect(summary.files['image']?.filename).toBe('result.png');
      expect(summary.files['image']?.bytes).toBeGreaterThan(8);
    },
  );

  describe('bad requests name the field', () => {
    const good = { poly: [square], vertex_offset: [1, 1], dimension: 2, polygon_index: 0, vertex_index: 0 };

    async function expect400(params: unknown, field: string, content = blackPng(8, 8), filename = 'a.png') {
      const reply = await fixpolygon(t, params, content, filename);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain(field);
    }

    it('400 for a missing poly', async () => {
      await expect400({ ...good, poly: undefined }, 'params.poly');
    });

    it('400 for a polygon_index or vertex_index out of range', async () => {
      await expect400({ ...good, polygon_index: 1 }, 'params.polygon_index');
      await expect400({ ...good, vertex_index: 4 }, 'params.vertex_index');
    });

    it('400 for a vertex_offset that is not two numbers', async () => {
      await expect400({ ...good, vertex_offset: ['right', 'down'] }, 'params.vertex_offset');
    });

    it('400 for more slices of polygons than the image has', async () => {
      const reference = writeTestNifti({ dims: [4, 4, 1], datatype: DT_UINT8, voxels: new Uint8Array(16) });
      await expect400(
        { ...good, poly: [[], [square]], dimension: 3, slice_index: 1 },
        'params.poly',
        reference,
        'one-slice.nii',
      );
    });

    it('400 for a 2-D edit on a NIfTI with several slices', async () => {
      const reference = writeTestNifti({ dims: [8, 8, 2], datatype: DT_UINT8, voxels: new Uint8Array(128) });
      await expect400(good, 'dimension 3', reference, 'volume.nii');
    });

    it('400 for polygons that would cross the rows more than 4 M times', async () => {
      // A zigzag of 2 × 2100 edges between rows 0 and 1000 crosses each of the 1000 rows 4200 times.
      const zigzag: number[][] = [];
      for (let t = 0; t < 2100; t++) {
        zigzag.push([2 * t, 0], [2 * t + 1, 1000]);
      }
      await expect400({ ...good, poly: [zigzag] }, 'params.poly', blackPng(10, 1001));
    });

    it('400 without a reference image, naming datapoint', async () => {
      const reply = await sendPyMultipart('POST', `${t.base}/v1/fixpolygon`, { params: JSON.stringify(good) }, []);
      expect(reply.status).toBe(400);
      expect(errorMessage(reply)).toContain("'datapoint'");
    });
  });
});
