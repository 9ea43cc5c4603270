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
import { clientAddress } from '../common/client-address';
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
 * sending `Authorization: Bearer <--admin_token>`. The token is compared in constant time and never logged; a refusal
 * names neither the allowed addresses nor the token. The client address is the TCP peer's, or with `--trust_proxy`
 * the forwarded one: behind a proxy every client arrives from the proxy, so deployments there use the token.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  readonly #tokenDigest: Buffer | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.#tokenDigest = config.adminToken === undefined ? undefined : digest(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const verdict = this.#admit(req);
    if (typeof verdict === 'string') {
      throw new ForbiddenException(verdict);
    }
    req[CALLER] = verdict;
    return true;
  }

  /** Why `req` may not use the admin routes, or undefined when it may (also asked before `100 Continue`). */
  refusalOf(req: IncomingMessage): string | undefined {
    const verdict = this.#admit(req);
    return typeof verdict === 'string' ? verdict : undefined;
  }

  /** The caller `req` is let in as, or why it is not. */
  #admit(req: IncomingMessage): AdminCaller | string {
    const address = clientAddress(req);
    const hosts = this.config.adminHosts;
    if (hosts.includes('*') || hosts.includes(address)) {
      return { address, auth: 'admin_hosts' };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && this.#tokenDigest !== undefined && timingSafeEqual(digest(bearer), this.#tokenDigest)) {
      return { address, auth: 'admin_token' };
    }
    const why = bearer === undefined ? 'no admin token given' : 'the admin token is not valid';
    return `admin routes answer only to the admin hosts (--admin_hosts) or a valid admin token; client ${address}: ${why}`;
  }
}

// Equal-length digests let timingSafeEqual compare tokens of any length.
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The handler parameter holding the {@link AdminCaller} that {@link AdminGuard} let in. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AdminCaller | undefined => {
  return context.switchToHttp().getRequest<AdminRequest>()[CALLER];
});
