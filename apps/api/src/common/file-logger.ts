import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's console logger that also appends every line to `<workspace>/logs/aiaa.log`, the file `GET /logs` serves.
 * Lines are written without colours, one per message: `2026-01-01T00:00:00.000Z LOG [Context] message`.
 */
export class FileLogger extends ConsoleLogger {
  #fd: number | undefined;

  constructor(
    readonly file: string,
    debug: boolean,
    private readonly toConsole = true,
  ) {
    super('AIAA', {
      logLevels: debug ? ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] : ['log', 'error', 'warn', 'fatal'],
    });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#fd = fs.openSync(file, 'a');
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
  ): void {
    if (this.toConsole) {
      super.printMessages(messages, context, logLevel, writeStreamType);
    }
    const lines = messages.map((message) => {
      const text =
        typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message);
      return `${new Date().toISOString()} ${logLevel.toUpperCase()} [${context}] ${text}\n`;
    });
    // Synchronous appends keep lines whole and ordered; log lines are small and rare next to inference work.
    if (this.#fd !== undefined) {
      fs.writeSync(this.#fd, lines.join(''));
    }
  }

  protected override printStackTrace(stack: string): void {
    if (this.toConsole) {
      super.printStackTrace(stack);
    }
    if (stack && this.#fd !== undefined) {
      fs.writeSync(this.#fd, `${stack}\n`);
    }
  }

  /** Closes the file; later messages go to the console only. */
  closeFile(): void {
    if (this.#fd !== undefined) {
      fs.closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}
