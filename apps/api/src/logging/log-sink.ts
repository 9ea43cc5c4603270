import { RotatingFile } from './rotating-file';
import { redactLine } from './log-redaction';

/**
 * Where pino writes: each line redacted (session ids hashed, long values cut, the line bounded), then appended to
 * `logs/aiaa.log` (rotated by size, the file `GET /logs` reads) and, unless turned off, to stdout.
 */
export class LogSink {
  readonly #file: RotatingFile;

  constructor(
    file: string,
    maxBytes: number,
    private readonly toConsole: boolean,
  ) {
    this.#file = new RotatingFile(file, maxBytes);
  }

  /** pino's destination contract: one serialized line per call. */
  write(line: string): void {
    const safe = redactLine(line);
    this.#file.write(safe);
    if (this.toConsole) {
      process.stdout.write(safe);
    }
  }

  close(): void {
    this.#file.close();
  }
}
