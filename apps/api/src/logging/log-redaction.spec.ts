import { createHash } from 'node:crypto';
import { MAX_LOG_LINE, MAX_LOG_STRING, redactLine, sessionTag } from './log-redaction';

const ID = '3f2b8c1e-9a4d-4e7f-8b2a-1c0d9e8f7a6b';
const TAG = `session#${createHash('sha256').update(ID).digest('hex').slice(0, 12)}`;

describe('redactLine (every log line passes through it)', () => {
  it('replaces session ids in every string with the first 12 hex digits of their SHA-256', () => {
    expect(sessionTag(ID)).toBe(TAG);
    const line = JSON.stringify({ msg: `session '${ID}' expired`, url: `/session/${ID}`, nested: { ids: [ID] } });
    expect(JSON.parse(redactLine(`${line}\n`))).toEqual({
      msg: `session '${TAG}' expired`,
      url: `/session/${TAG}`,
      nested: { ids: [TAG] },
    });
  });

  it('keeps the request id as the client sent it, even shaped like a session id', () => {
    expect(JSON.parse(redactLine(JSON.stringify({ reqId: ID, msg: 'x' })))).toEqual({ reqId: ID, msg: 'x' });
  });

  it('ends every line with one newline and keeps control characters escaped inside their string', () => {
    const out = redactLine(JSON.stringify({ msg: 'a\n{"level":60,"msg":"forged"}\r\u0000' }));
    expect(out.endsWith('\n')).toBe(true);
    expect(out.slice(0, -1)).not.toMatch(/[\n\r\0]/);
    expect(JSON.parse(out)).toEqual({ msg: 'a\n{"level":60,"msg":"forged"}\r\u0000' });
  });

  it('cuts long strings, saying how much was cut, and bounds the whole line', () => {
    const out = JSON.parse(redactLine(JSON.stringify({ msg: 'x'.repeat(10_000) }))) as { msg: string };
    expect(out.msg).toBe(`${'x'.repeat(MAX_LOG_STRING)}…[${10_000 - MAX_LOG_STRING} more characters]`);
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'y'.repeat(1500)]));
    const bounded = redactLine(JSON.stringify({ level: 40, msg: 'many fields', ...wide }));
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(MAX_LOG_LINE + 1);
    expect(JSON.parse(bounded)).toEqual({ truncated: true, level: 40, msg: 'many fields' });
  });

  it('wraps a line that is not JSON into one that is', () => {
    expect(JSON.parse(redactLine(`plain ${ID}\n`))).toEqual({ msg: `plain ${TAG}`, unparsed: true });
  });
});
