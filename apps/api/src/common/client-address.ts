import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The client's address as the server reckons it, for the admin rules and the session quotas: the TCP peer, or, with
 * `--trust_proxy`, what Express derives from `X-Forwarded-For` (`req.ip`). An IPv4 client on a dual-stack socket
 * (`::ffff:127.0.0.1`) reads as `127.0.0.1`.
 */
export function clientAddress(req: IncomingMessage & { ip?: string }): string {
  const address = req.ip ?? req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** The handler parameter holding the {@link clientAddress} of the request (for per-client quotas). */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  clientAddress(context.switchToHttp().getRequest<IncomingMessage & { ip?: string }>()),
);

/**
 * Express middleware for `--trust_proxy`: a request that names its hops only in the standard `Forwarded` header
 * (RFC 7239: `for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"`) gets the equivalent `X-Forwarded-For`, so that
 * Express derives the client address from either header by the same trust rules. A request with both keeps its own
 * `X-Forwarded-For`.
 */
export function forwardedAsXForwardedFor(req: IncomingMessage, _res: unknown, next: () => void): void {
  const forwarded = req.headers['forwarded'];
  if (forwarded !== undefined && req.headers['x-forwarded-for'] === undefined) {
    const hops = forwardedFor(forwarded);
    if (hops.length > 0) {
      req.headers['x-forwarded-for'] = hops.join(', ');
    }
  }
  next();
}

/** The `for=` node of each element of a `Forwarded` header, in order, without quotes, brackets or ports. */
export function forwardedFor(header: string): string[] {
  const hops: string[] = [];
  for (const element of header.split(',')) {
    const pair = element
      .split(';')
      .map((p) => p.trim())
      .find((p) => p.toLowerCase().startsWith('for='));
    if (pair === undefined) {
      continue;
    }
    let node = pair.slice(4).trim().replace(/^"|"$/g, '');
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
    if (bracketed) {
      node = bracketed[1] as string;
    } else if (/^[^:]+:\d+$/.test(node)) {
      node = node.slice(0, node.lastIndexOf(':'));
    }
    hops.push(node);
  }
  return hops;
}
