import { InvalidInputError, readPointList, type Point3 } from '@aiaa/core';

/** What the translation needs to know of the image and the model. */
export interface InferTarget {
  /** [W, H, D] of the image the clicks index. */
  readonly sizeIjk: readonly [number, number, number];
  /** The model's label names (deepedit clients send one click list per name). */
  readonly labels: readonly string[];
  /** The suffix of the input image (`.nii.gz`, `.nii`): MONAI Label answers in it unless asked otherwise. */
  readonly inputExtension: string;
}

/**
 * A MONAI Label click as a point of this server's pipelines. Clients send IJK voxel indices of the image as its file
 * stores it: 3D Slicer maps RAS to IJK with the volume's RASToIJK matrix, OHIF with `worldToIndex`, and i runs along
 * the fastest-varying axis. The pipelines (AIAA's convention, `libs/core/src/image/points.ts`) take [x, y, z] with x
 * along W (fastest), y along H and z along D, the file order too: i → x, j → y, k → z.
 */
export function ijkToPipelinePoint([i, j, k]: Point3): Point3 {
  return [i, j, k];
}

/**
 * Turns the `params` of `POST /infer/{model}` into the request params of the model's pipeline:
 * - `foreground` / `background`: IJK clicks, checked inside the image and mapped by {@link ijkToPipelinePoint};
 * - deepedit's click list per label (`{"spleen": [[i,j,k]], "background": [], "label": "spleen"}`): the current label's
 *   clicks (`label`, else the only label clicked) become `foreground`, every other label's join `background`;
 * - `slice` (2-D models): a slice index k inside the image; `roi`: `[imin, imax, jmin, jmax, kmin, kmax]` inside it;
 * - `result_extension` defaults to the input's suffix (as MONAI Label answers); `result_dtype`, `result_compress`
 *   are read by the model's writer; `restore_label_idx` must be a boolean (label lists are already indexed 1..n);
 * - every other key (`client_id`, `device`, `reset_state`, …) is passed along and read by nothing here.
 * @throws InvalidInputError naming `params.<key>` (and the point) at fault.
 */
export function pipelineParams(
  params: Readonly<Record<string, unknown>>,
  target: InferTarget,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  const sizeIjk = target.sizeIjk;
  const clicks = (key: string): Point3[] =>
    readPointList(params, key, { sizeIjk, absent: [] }).map((point) => ijkToPipelinePoint(point));
  const perLabel = target.labels.filter((name) => name !== 'background' && Array.isArray(params[name]));
  let foreground = clicks('foreground');
  let background = clicks('background');
  if (params['foreground'] === undefined && perLabel.length > 0) {
    const current = currentLabel(params, perLabel);
    foreground = clicks(current);
    for (const other of perLabel.filter((name) => name !== current)) {
      background = [...background, ...clicks(other)];
    }
    for (const name of perLabel) {
      delete out[name];
    }
  }
  if (params['foreground'] !== undefined || perLabel.length > 0) {
    out['foreground'] = foreground;
  }
  if (params['background'] !== undefined || perLabel.length > 0) {
    out['background'] = background;
  }
  if (params['slice'] !== undefined && params['slice'] !== null) {
    checkIndex(params['slice'], 'params.slice', sizeIjk[2]);
  }
  if (params['roi'] !== undefined && params['roi'] !== null && !isEmptyList(params['roi'])) {
    checkRoi(params['roi'], sizeIjk);
  }
  const restore = params['restore_label_idx'];
  if (restore !== undefined && typeof restore !== 'boolean') {
    throw new InvalidInputError(`params.restore_label_idx: expected true or false, got ${JSON.stringify(restore)}`);
  }
  if (out['result_extension'] === undefined && target.inputExtension !== '') {
    out['result_extension'] = target.inputExtension;
  }
  return out;
}

/** The label a deepedit request is about: `label` when given, else the only label that has clicks. */
function currentLabel(params: Readonly<Record<string, unknown>>, perLabel: readonly string[]): string {
  const named = params['label'];
  if (typeof named === 'string' && perLabel.includes(named)) {
    return named;
  }
  const clicked = perLabel.filter((name) => (params[name] as unknown[]).length > 0);
  if (clicked.length === 1) {
    return clicked[0] as string;
  }
  throw new InvalidInputError(
    `params.label: name the label being edited (one of ${perLabel.join(', ')}); clicks were sent for ${
      clicked.join(', ') || 'none'
    }`,
  );
}

function checkIndex(value: unknown, field: string, size: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new InvalidInputError(`${field}: expected an index in 0..${size - 1}, got ${JSON.stringify(value)}`);
  }
}

/** `[imin, imax, jmin, jmax, kmin, kmax]`, each pair ordered and inside the image. */
function checkRoi(value: unknown, sizeIjk: readonly number[]): void {
  if (!Array.isArray(value) || value.length !== 6) {
    throw new InvalidInputError(
      `params.roi: expected [imin, imax, jmin, jmax, kmin, kmax], got ${JSON.stringify(value)}`,
    );
  }
  for (let axis = 0; axis < 3; axis++) {
    const size = sizeIjk[axis] as number;
    const name = 'ijk'[axis] as string;
    checkIndex(value[2 * axis], `params.roi[${2 * axis}] (${name}min)`, size);
    checkIndex(value[2 * axis + 1], `params.roi[${2 * axis + 1}] (${name}max)`, size);
    if ((value[2 * axis] as number) > (value[2 * axis + 1] as number)) {
      throw new InvalidInputError(
        `params.roi: ${name}min ${value[2 * axis]} exceeds ${name}max ${value[2 * axis + 1]}`,
      );
    }
  }
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}
