import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { currentRequest } from './request-context';

/**
 * Nest's logger on pino: every `Logger` of the app writes one JSON line with its context (the class that logged), the
 * id of the request it ran in, and the fields of a structured event (`logger.log({event, model, …}, 'text')`).
 * One per app, so each app writes to its own log file at its own `--log_level`.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.#write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.#write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.#write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.#write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.#write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.#write('fatal', message, params);
  }

  /**
   * Nest passes the logger's context last (`new Logger('Errors').warn(text)` → `warn(text, 'Errors')`), and for
   * errors a stack before it; an object message carries an event's fields, its text following.
   */
  #write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) {
      return;
    }
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    const reqId = currentRequest()?.id;
    if (reqId !== undefined) {
      fields['reqId'] = reqId;
    }
    if (context !== undefined) {
      fields['context'] = context;
    }
    let text: string;
    if (message instanceof Error) {
      fields['err'] = { type: message.name, message: message.message, stack: message.stack };
      text = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      text = typeof rest[0] === 'string' ? (rest.shift() as string) : '';
    } else {
      text = String(message);
    }
    if (level === 'error' && typeof rest[0] === 'string' && rest[0] !== '') {
      fields['stack'] = rest.shift();
    }
    this.pino[level](fields, text);
  }
}
