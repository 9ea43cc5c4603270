import { InvalidInputError } from '../../errors';
import type { MedicalImage } from '../../image/medical-image';
import type { DataElement } from '../encode/dicom-dataset-encoder';

/** One segment of a SEG: the label value it is made of, and its name. */
export interface SegSegment {
  readonly value: number;
  readonly label: string;
}

/** Most distinct values a label volume may hold to be written as segments without a list. */
const MAX_SEGMENTS = 255;

/**
 * The segments of a label volume: each non-zero value present, ascending, named `label <value>`.
 *
 * @throws InvalidInputError when the voxels are not whole numbers or hold more than 255 values.
 */
export async function segmentsOf(labels: MedicalImage): Promise<SegSegment[]> {
  const seen = new Set<number>();
  const voxels = labels.voxels;
  for (let n = 0; n < voxels.length; n++) {
    const v = voxels[n] as number;
    if (v !== 0 && !seen.has(v)) {
      if (!Number.isInteger(v) || seen.size >= MAX_SEGMENTS) {
        throw new InvalidInputError(
          `DICOM SEG: ${labels.source} is not a label volume (value ${v}${Number.isInteger(v) ? `, over ${MAX_SEGMENTS} distinct values` : ''})`,
        );
      }
      seen.add(v);
    }
    if ((n & 0x3fffff) === 0x3fffff) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return [...seen].sort((a, b) => a - b).map((value) => ({ value, label: `label ${value}` }));
}

/**
 * A Segment Sequence item. The property codes are the generic ones a labeller that knows only names uses
 * (SNOMED CT 85756007 "Tissue" as category and type); the name goes in SegmentLabel.
 */
export function segmentItem(segment: SegSegment, number: number, algorithmName = 'aiaa-ts'): DataElement[] {
  const tissue = (tag: number): DataElement => ({
    tag,
    vr: 'SQ',
    value: [
      [
        { tag: 0x00080100, vr: 'SH', value: '85756007' },
        { tag: 0x00080102, vr: 'SH', value: 'SCT' },
        { tag: 0x00080104, vr: 'LO', value: 'Tissue' },
      ],
    ],
  });
  return [
    { tag: 0x00620004, vr: 'US', value: number },
    { tag: 0x00620005, vr: 'LO', value: segment.label.slice(0, 64) },
    { tag: 0x00620008, vr: 'CS', value: 'AUTOMATIC' },
    { tag: 0x00620009, vr: 'LO', value: algorithmName.slice(0, 64) },
    tissue(0x00620003),
    tissue(0x0062000f),
  ];
}
