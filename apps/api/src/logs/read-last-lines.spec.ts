import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLastLines } from './read-last-lines';

describe('readLastLines (the tail GET /logs?lines=N serves)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-logs-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    return file;
  };

  it('returns the last N lines, each ending in a newline', async () => {
    const file = await write('small.log', 'a\nb\nc\n');
    expect(await readLastLines(file, 2)).toBe('b\nc\n');
    expect(await readLastLines(file, 10)).toBe('a\nb\nc\n');
  });

  it('keeps a last line without its newline', async () => {
    const file = await write('open.log', 'a\nb\nc');
    expect(await readLastLines(file, 2)).toBe('b\nc\n');
  });

  it('answers an empty or missing log with nothing', async () => {
    expect(await readLastLines(await write('empty.log', ''), 5)).toBe('');
    expect(await readLastLines(path.join(dir, 'missing.log'), 5)).toBe('');
  });

  it('reads across its 64 KiB chunks: lines of 1000 bytes over 3 MB, UTF-8 intact', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(6, '0')} é ${'x'.repeat(990)}`);
    const file = await write('big.log', `${lines.join('\n')}\n`);
    expect(await readLastLines(file, 150)).toBe(`${lines.slice(-150).join('\n')}\n`);
    expect(await readLastLines(file, 1)).toBe(`${lines[2999]}\n`);
  });
});
