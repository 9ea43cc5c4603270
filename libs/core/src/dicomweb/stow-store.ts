import { randomBytes } from 'node:crypto';
import { type DicomJsonDataset, isDicomJsonArray, jsonNumber, jsonString } from './dicom-json';
import { PacsRequestError, PacsUnavailableError } from './dicomweb-errors';
import { type DicomwebConnection, dicomwebFetch } from './dicomweb-http';

/** One instance the PACS stored. */
export interface StoredInstance {
  readonly sopClassUid?: string;
  readonly sopInstanceUid: string;
  /** Where WADO-RS serves it, when the PACS says so. */
  readonly retrieveUrl?: string;
}

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const FAILURE_REASON = '00081197';
const RETRIEVE_URL = '00081190';
const REFERENCED_SOP_CLASS_UID = '00081150';
const REFERENCED_SOP_INSTANCE_UID = '00081155';

/**
 * Stores Part 10 instances with STOW-RS (`POST /studies`, or `/studies/{uid}` to require that study) in one
 * `multipart/related; type="application/dicom"` request.
 *
 * @throws PacsRequestError (kind conflict) naming each refused instance and its failure reason (PS3.18 Table
 *   I.2-1: A700 out of resources, A900 not the SOP class, C000 cannot understand, 0122 SOP class not supported …);
 *   PacsUnavailableError and PacsRequestError from the request.
 */
export async function storeInstances(
  connection: DicomwebConnection,
  instances: readonly Uint8Array[],
  options: { studyUid?: string; signal?: AbortSignal } = {},
): Promise<StoredInstance[]> {
  const boundary = `stow-${randomBytes(12).toString('hex')}`;
  const body = Buffer.concat([
    ...instances.flatMap((instance) => [
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'),
      instance,
      Buffer.from('\r\n', 'latin1'),
    ]),
    Buffer.from(`--${boundary}--\r\n`, 'latin1'),
  ]);
  const path = options.studyUid ? `/studies/${encodeURIComponent(options.studyUid)}` : '/studies';
  const what = `STOW-RS store of ${instances.length} instance${instances.length === 1 ? '' : 's'}`;
  const response = await dicomwebFetch(
    connection,
    path,
    {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        Accept: 'application/dicom+json',
      },
      body,
      what,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    [409],
  );
  const text = await response.text();
  const answer = parseAnswer(text);
  if (!answer) {
    throw new PacsUnavailableError(connection.url, `${what}: answered ${response.status} with no DICOM JSON result`);
  }
  const failed = (answer[FAILED_SOP_SEQUENCE]?.Value ?? []) as DicomJsonDataset[];
  if (failed.length > 0 || response.status === 409) {
    const reasons = failed.map((item) => {
      const reason = jsonNumber(item, FAILURE_REASON);
      return `${jsonString(item, REFERENCED_SOP_INSTANCE_UID) ?? '?'}: failure reason ${reason === undefined ? '?' : `0x${reason.toString(16).toUpperCase().padStart(4, '0')}`}`;
    });
    throw new PacsRequestError(
      'conflict',
      connection.url,
      response.status,
      `${what}: ${connection.url} refused ${failed.length || 'the'} instance(s)${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
    );
  }
  return ((answer[REFERENCED_SOP_SEQUENCE]?.Value ?? []) as DicomJsonDataset[]).flatMap((item) => {
    const sopInstanceUid = jsonString(item, REFERENCED_SOP_INSTANCE_UID);
    const sopClassUid = jsonString(item, REFERENCED_SOP_CLASS_UID);
    const retrieveUrl = jsonString(item, RETRIEVE_URL);
    return sopInstanceUid
      ? [{ sopInstanceUid, ...(sopClassUid ? { sopClassUid } : {}), ...(retrieveUrl ? { retrieveUrl } : {}) }]
      : [];
  });
}

/** The STOW answer is one DICOM JSON dataset (some servers wrap it in an array). */
function parseAnswer(text: string): DicomJsonDataset | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isDicomJsonArray(parsed)) {
      return parsed[0];
    }
    return typeof parsed === 'object' && parsed !== null ? (parsed as DicomJsonDataset) : undefined;
  } catch {
    return undefined;
  }
}
