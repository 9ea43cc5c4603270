import { Inject, Injectable } from '@nestjs/common';
import {
  type DicomSeg,
  type DicomwebSeries,
  InvalidInputError,
  type MedicalImage,
  encodeDicomSeg,
  segSourceFromMetadata,
  segmentsOf,
} from '@aiaa/core';
import { DicomwebSource } from './dicomweb-source';

/** A SEG the PACS stored: the UIDs a viewer finds it by. */
export interface StoredSeg {
  readonly StudyInstanceUID: string;
  readonly SeriesInstanceUID: string;
  readonly SOPInstanceUID: string;
}

/** What to write into a SEG besides the label. */
export interface SegDescription {
  /** The name of each label value (segment); values without one are named `label <value>`. */
  readonly names: ReadonlyMap<number, string>;
  /** The model that made the label (SegmentAlgorithmName, SeriesDescription). */
  readonly algorithmName: string;
  readonly signal?: AbortSignal;
}

/**
 * Results back to the PACS: a label volume on a series' grid as a binary DICOM SEG referencing that series (its
 * instances and geometry read from the series' WADO-RS metadata), and its STOW-RS store into the series' study.
 */
@Injectable()
export class DicomSegService {
  constructor(@Inject(DicomwebSource) private readonly source: DicomwebSource) {}

  /**
   * The SEG of `labels` (a volume on the series' grid, one channel), one segment per label value present.
   * @throws InvalidInputError when the label is not on the series' grid or not a label volume; the PACS' errors.
   */
  async encode(series: DicomwebSeries, labels: MedicalImage, description: SegDescription): Promise<DicomSeg> {
    const { client } = this.source.require('a DICOM SEG');
    const metadata = await client.retrieveSeriesMetadata(
      series.studyInstanceUid,
      series.seriesInstanceUid,
      description.signal,
    );
    const volume = singleChannel(labels);
    const segments = (await segmentsOf(volume)).map((segment) => ({
      value: segment.value,
      label: description.names.get(segment.value) ?? segment.label,
    }));
    return encodeDicomSeg(volume, segSourceFromMetadata(series.seriesInstanceUid, metadata), {
      segments,
      algorithmName: description.algorithmName,
      seriesDescription: `${description.algorithmName} segmentation`.slice(0, 64),
    });
  }

  /** Stores the SEG in the series' study with STOW-RS. @throws the PACS' errors (a refusal is a 409 naming it). */
  async store(seg: DicomSeg, series: DicomwebSeries, signal?: AbortSignal): Promise<StoredSeg> {
    const { client } = this.source.require('storing a DICOM SEG');
    await client.store([seg.bytes], { studyUid: series.studyInstanceUid, ...(signal ? { signal } : {}) });
    return {
      StudyInstanceUID: series.studyInstanceUid,
      SeriesInstanceUID: seg.seriesInstanceUid,
      SOPInstanceUID: seg.sopInstanceUid,
    };
  }
}

/** The label as a `DHW` volume: a one-channel result drops its channel axis (the voxels stay where they are). */
function singleChannel(labels: MedicalImage): MedicalImage {
  if (labels.shapeFormat === 'DHW') {
    return labels;
  }
  if (labels.channels !== 1 || labels.spatialShape.length !== 3) {
    throw new InvalidInputError(
      `DICOM SEG: the result is ${labels.shapeFormat} [${labels.shape.join(', ')}]; a SEG takes one label volume`,
    );
  }
  return labels.with({ shape: labels.spatialShape, shapeFormat: 'DHW' });
}
