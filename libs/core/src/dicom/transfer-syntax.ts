/** Explicit VR little endian: the uncompressed syntax asked of the PACS (every DICOMweb server can send it). */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Transfer syntax UID: Implicit VR Little Endian, DICOM's default. */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
/** Transfer syntax UID: Explicit VR Big Endian (retired, still read). */
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** The uncompressed transfer syntaxes that the DICOM instance reader decodes. */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
]);

/** Names of the compressed syntaxes a PACS commonly stores, for error messages (PS3.6 Table A-1). */
const NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

/** `JPEG 2000 Lossless (1.2.840.10008.1.2.4.90)`, or the bare UID when it has no name here. */
export function describeTransferSyntax(uid: string): string {
  const name = NAMES[uid];
  return name ? `${name} (${uid})` : uid;
}
