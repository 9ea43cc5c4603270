import * as fs from 'node:fs/promises';

const CHUNK_BYTES = 64 * 1024;

/** The last `count` lines of a text file, read backwards in chunks (the log can be large); '' when there is no file. */
export async function readLastLines(file: string, count: number): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return '';
    }
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let newlines = 0;
    let position = size;
    // A trailing newline ends the last line; it does not start another.
    while (position > 0 && newlines <= count) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      chunks.unshift(chunk);
      for (let i = 0; i < length; i++) {
        if (chunk[i] === 0x0a) {
          newlines++;
        }
      }
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    return lines.slice(-count).join('\n') + (lines.length > 0 ? '\n' : '');
  } finally {
    await handle.close();
  }
}

/**
 * The last `count` lines of the log: from `file`, and from its last rotated file (`<file>.1`) when the current one
 * holds fewer, so a tail just after a rotation is not cut short.
 */
export async function readLastLogLines(file: string, count: number): Promise<string> {
  const current = await readLastLines(file, count);
  const have = current === '' ? 0 : current.split('\n').length - 1;
  if (have >= count) {
    return current;
  }
  return (await readLastLines(`${file}.1`, count - have)) + current;
}
