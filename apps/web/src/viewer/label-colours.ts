/** RGB 0–255. */
export type Rgb = readonly [number, number, number];

// Distinct hues, red first so a one-label mask reads as the usual red overlay.
const PALETTE: readonly Rgb[] = [
  [230, 40, 40],
  [40, 190, 80],
  [40, 120, 230],
  [250, 210, 30],
  [160, 60, 200],
  [40, 220, 220],
  [245, 130, 40],
  [240, 60, 200],
];

/** The colour of label value `value` (≥ 1); values past the palette repeat it. */
export function labelColour(value: number): Rgb {
  return PALETTE[(value - 1) % PALETTE.length] ?? [255, 255, 255];
}

/** The name of label value `value` (≥ 1): the model's `labels[value - 1]`, `foreground` for a model without labels. */
export function labelName(value: number, labels: readonly string[]): string {
  if (labels.length === 0 && value === 1) {
    return 'foreground';
  }
  return labels[value - 1] ?? `label ${value}`;
}

/** A niivue label colour table (`NVImage.setColormapLabel`): value 0 transparent, 1..max coloured and named. */
export interface LabelTable {
  readonly R: number[];
  readonly G: number[];
  readonly B: number[];
  readonly A: number[];
  readonly I: number[];
  readonly labels: string[];
}

/** The label table for values 0..`maxValue`, named after the model's `labels`. */
export function labelTable(maxValue: number, labels: readonly string[]): LabelTable {
  const table: LabelTable = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: ['background'] };
  for (let value = 1; value <= maxValue; value++) {
    const [r, g, b] = labelColour(value);
    table.R.push(r);
    table.G.push(g);
    table.B.push(b);
    table.A.push(255);
    table.I.push(value);
    table.labels.push(labelName(value, labels));
  }
  return table;
}

/** Voxels per label value 0..max of a label volume (non-integer or negative values count under their floor / 0). */
export function countLabels(voxels: ArrayLike<number>): number[] {
  const counts: number[] = [];
  for (let i = 0; i < voxels.length; i++) {
    const value = Math.max(0, Math.floor(voxels[i] ?? 0));
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}
