import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  ForbiddenException,
  Inject,
  Injectable,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Who called an admin route: the client address, and how it was let in (never the token itself). */
export interface AdminCaller {
  readonly address: string;
  readonly auth: 'admin_hosts' | 'admin_token';
}

const CALLER = Symbol('admin caller');
type AdminRequest = IncomingMessage & { [CALLER]?: AdminCaller };

/**
 * Opens `/admin/*` to the addresses of `--admin_hosts` (default: loopback; `*` for every address) or to any client
 * sending `Authorization: Bearer <--admin_token>`. The token is compared in constant time and never logged.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  readonly #tokenDigest: Buffer | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.#tokenDigest = config.adminToken === undefined ? undefined : digest(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const address = normalizeAddress(req.socket.remoteAddress ?? '');
    const hosts = this.config.adminHosts;
    if (hosts.includes('*') || hosts.includes(address)) {
      req[CALLER] = { address, auth: 'admin_hosts' };
      return true;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && this.#tokenDigest !== undefined && timingSafeEqual(digest(bearer), this.#tokenDigest)) {
      req[CALLER] = { address, auth: 'admin_token' };
      return true;
    }
    const why = bearer === undefined ? 'no admin token given' : 'the admin token is not valid';
    throw new ForbiddenException(
      `admin routes answer only to --admin_hosts (${hosts.join(', ')}) or a valid admin token; client ${address}: ${why}`,
    );
  }
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) → `127.0.0.1`. */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

// Equal-length digests let timingSafeEqual compare tokens of any length.
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The handler parameter holding the {@link AdminCaller} that {@link AdminGuard} let in. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AdminCaller | undefined => {
  return context.switchToHttp().getRequest<AdminRequest>()[CALLER];
});
