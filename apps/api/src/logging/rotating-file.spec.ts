import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROTATED_FILES, RotatingFile } from './rotating-file';

describe('RotatingFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaa-rotate-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

  it('starts a new file before a line would pass the limit, shifting the older ones and dropping the oldest', () => {
    const file = new RotatingFile(path.join(dir, 'aiaa.log'), 25);
    for (let i = 0; i < 7; i++) {
      file.write(`line ${i} ${'x'.repeat(3)}\n`);
    }
    file.close();
    // 11 bytes a line: two lines fit in 25 bytes; 7 lines make files of 2, 2, 2 and 1 lines; the first two dropped.
    expect(fs.readdirSync(dir).sort()).toEqual(['aiaa.log', 'aiaa.log.1', 'aiaa.log.2', 'aiaa.log.3']);
    expect(ROTATED_FILES).toBe(3);
    expect(read('aiaa.log')).toBe('line 6 xxx\n');
    expect(read('aiaa.log.1')).toBe('line 4 xxx\nline 5 xxx\n');
    expect(read('aiaa.log.3')).toBe('line 0 xxx\nline 1 xxx\n');
  });

  it('counts what the file already held when it was opened, and never rotates with a limit of 0', () => {
    fs.writeFileSync(path.join(dir, 'aiaa.log'), 'x'.repeat(20));
    const limited = new RotatingFile(path.join(dir, 'aiaa.log'), 25);
    limited.write('0123456789\n');
    limited.close();
    expect(read('aiaa.log.1')).toBe('x'.repeat(20));
    const unlimited = new RotatingFile(path.join(dir, 'other.log'), 0);
    for (let i = 0; i < 100; i++) {
      unlimited.write('0123456789\n');
    }
    unlimited.close();
    expect(fs.statSync(path.join(dir, 'other.log')).size).toBe(1100);
  });

  it('keeps a single line longer than the limit whole', () => {
    const file = new RotatingFile(path.join(dir, 'aiaa.log'), 10);
    file.write(`${'y'.repeat(30)}\n`);
    file.close();
    expect(read('aiaa.log')).toBe(`${'y'.repeat(30)}\n`);
  });
});
