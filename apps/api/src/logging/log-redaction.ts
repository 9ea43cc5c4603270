import { createHash } from 'node:crypto';

/** A session id as `PUT /session` makes them (`randomUUID()`), wherever it stands in a text. */
const SESSION_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Longest string value a log line keeps (longer ones are cut, saying how much was cut). */
export const MAX_LOG_STRING = 2048;
/** Longest log line, in bytes: past it only the line's core fields are kept. */
export const MAX_LOG_LINE = 16 * 1024;

/**
 * What the logs say of a session id: `session#` and 12 hex digits of its SHA-256. Anyone who holds the id can find
 * its lines; nobody who reads the logs can use the session.
 */
export function sessionTag(id: string): string {
  return `session#${createHash('sha256').update(id.toLowerCase()).digest('hex').slice(0, 12)}`;
}

/** `text` with every session id replaced by its {@link sessionTag} and cut to {@link MAX_LOG_STRING} characters. */
export function redactText(text: string): string {
  const redacted = text.replace(SESSION_ID, sessionTag);
  return redacted.length > MAX_LOG_STRING
    ? `${redacted.slice(0, MAX_LOG_STRING)}…[${redacted.length - MAX_LOG_STRING} more characters]`
    : redacted;
}

/**
 * A serialized pino line made safe to keep: session ids hashed and long strings cut in every value (the request id
 * excepted: a client may send a UUID as its own id), then the whole line bounded. JSON escapes control characters,
 * so a `%0A` in a model name or an id stays inside its string and cannot start a line of its own.
 */
export function redactLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return `${JSON.stringify({ msg: redactText(line.trimEnd()), unparsed: true })}\n`;
  }
  const safe = JSON.stringify(redactValue(record, ''));
  if (Buffer.byteLength(safe) <= MAX_LOG_LINE) {
    return `${safe}\n`;
  }
  const full = record as Record<string, unknown>;
  const core: Record<string, unknown> = { truncated: true };
  for (const key of ['level', 'time', 'reqId', 'context', 'event', 'method', 'url', 'status']) {
    if (key in full) {
      core[key] = redactValue(full[key], key);
    }
  }
  core['msg'] = typeof full['msg'] === 'string' ? redactText(full['msg']).slice(0, 4096) : undefined;
  return `${JSON.stringify(core)}\n`;
}

function redactValue(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    return key === 'reqId' ? value : redactText(value);
  }
  if (Array.isArray(value)) {
    return value.slice(0, 100).map((item) => redactValue(item, ''));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = redactValue(v, k);
    }
    return out;
  }
  return value;
}
