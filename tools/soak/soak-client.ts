// The soak's HTTP side: Python-client-shaped requests, each bounded by a timeout, over one keep-alive agent that is
// closed at the end so the server's socket count can be compared before and after.
import * as http from 'node:http';
import { PY_BOUNDARY, pyMultipart, replyFile, request, type RawReply } from './soak-http';
import { SOAK_CT, maskMismatch } from './soak-volume';

/** Where and how the soak talks to the server. */
export interface SoakTarget {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly agent: http.Agent;
  /** Each request is aborted after this many ms. */
  readonly timeoutMs: number;
}

/** One request with a Content-Length body; rejects on a network error or after `timeoutMs`. */
export function timedRequest(
  target: SoakTarget,
  method: string,
  pathAndQuery: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  return request(method, `${target.base}${pathAndQuery}`, body, headers, target).catch((error: Error) => {
    throw new Error(`${method} ${pathAndQuery}: ${error.message}`);
  });
}

const MULTIPART = { 'Content-Type': `multipart/form-data; boundary=${PY_BOUNDARY}` };

/** The body of a segmentation with the soak CT as `datapoint`, as the Python client sends it. */
const SEGMENTATION_BODY = pyMultipart({ params: '{}' }, [{ field: 'datapoint', filename: 'ct.nii', content: SOAK_CT }]);
/** The body of a segmentation on a session: `params` only, no file part. */
const SESSION_SEGMENTATION_BODY = pyMultipart({ params: '{}' }, []);

/**
 * `POST /v1/segmentation?model=<model>[&session_id=<id>]`; resolves with why the reply is wrong (status, missing
 * part, mask differing from the hand-computed one), or undefined when it is right.
 */
export async function segmentOnce(target: SoakTarget, model: string, sessionId?: string): Promise<string | undefined> {
  const query = `model=${encodeURIComponent(model)}${sessionId ? `&session_id=${sessionId}` : ''}`;
  const body = sessionId ? SESSION_SEGMENTATION_BODY : SEGMENTATION_BODY;
  const reply = await timedRequest(target, 'POST', `/v1/segmentation?${query}`, body, MULTIPART);
  if (reply.status !== 200) {
    return `status ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`;
  }
  const image = replyFile(reply);
  return image ? maskMismatch(image) : 'the reply has no file part';
}

/** `PUT /session/?expiry=<s>` with the soak CT as `image` (the Python client's field); returns the session id. */
export async function createSession(target: SoakTarget, expirySec: number): Promise<string> {
  const body = pyMultipart({ params: '{}' }, [{ field: 'image', filename: 'ct.nii', content: SOAK_CT }]);
  const reply = await timedRequest(target, 'PUT', `/session/?expiry=${expirySec}`, body, MULTIPART);
  const text = reply.body.toString('utf8');
  if (reply.status !== 200) {
    throw new Error(`PUT /session/ answered ${reply.status}: ${text.slice(0, 300)}`);
  }
  return String((JSON.parse(text) as { session_id: unknown }).session_id);
}

/** The status of `GET /session/{id}` (200 alive, 440 expired or unknown). */
export async function sessionStatus(target: SoakTarget, id: string): Promise<number> {
  return (await timedRequest(target, 'GET', `/session/${id}`)).status;
}

/** `DELETE /session/{id}`; throws unless it answers 200. */
export async function deleteSession(target: SoakTarget, id: string): Promise<void> {
  const reply = await timedRequest(target, 'DELETE', `/session/${id}`);
  if (reply.status !== 200) {
    throw new Error(`DELETE /session/${id} answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
  }
}
