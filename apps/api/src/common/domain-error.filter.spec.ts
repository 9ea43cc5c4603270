import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ForbiddenException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  CancelledError,
  ConfigError,
  EngineUnavailableError,
  InvalidInputError,
  ModelNotFoundError,
  TimeoutError,
  TooLargeError,
  AiaaError,
} from '@aiaa/core';
import { DomainErrorFilter, httpStatusOf } from './domain-error.filter';
import { SessionNotFoundError } from './session-not-found.error';
import { RetryLaterError } from './status-errors';

describe('httpStatusOf: the one table from error kind to HTTP status', () => {
  it.each([
    ['invalid-input', new InvalidInputError('x'), 400],
    ['a config error', new ConfigError('pre_transforms[0]', 'x'), 400],
    ['not-found', new ModelNotFoundError('m'), 404],
    ['conflict', new AiaaError('conflict', 'x'), 409],
    ['too-large', new TooLargeError('x'), 413],
    ['unavailable', new EngineUnavailableError('TRITON', 'down'), 503],
    ['timeout', new TimeoutError('x'), 504],
    ['an unknown session (AIAA 440)', new SessionNotFoundError('s'), 440],
    ['a cancelled request (499, never sent)', new CancelledError(), 499],
    ["Nest's own exceptions", new ForbiddenException('no'), 403],
    ['anything else', new Error('boom'), 500],
  ])('maps %s', (_what, error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });
});

describe('DomainErrorFilter over real HTTP', () => {
  /** The reply the filter writes for `error` thrown by `PUT /admin/model/spleen` (Nest's own argument host). */
  async function replyTo(
    error: unknown,
    filter = new DomainErrorFilter(),
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const server = http.createServer((req, res) => filter.catch(error, new ExecutionContextHost([req, res])));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/admin/model/spleen?native=true`, { method: 'PUT' });
      return { status: res.status, headers: res.headers, body: await res.json() };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it('answers a library error with {statusCode, error, message, kind} and a Content-Length', async () => {
    const reply = await replyTo(new ConfigError('pre_transforms[2].args.a_min', 'expected a number'));
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.headers.get('content-length')).not.toBeNull();
    expect(reply.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'pre_transforms[2].args.a_min: expected a number',
      kind: 'invalid-input',
    });
  });

  it('answers an unexpected error with 500 naming the operation, never its message or stack', async () => {
    const reply = await replyTo(new Error('secret internals at /srv/app.js:12'));
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'PUT /admin/model/spleen failed: internal error (details in the server log)',
      kind: 'internal',
    });
  });

  it('never shows the server folders it is given, even in a library message that names one', async () => {
    const filter = new DomainErrorFilter([
      { path: '/srv/aiaa/workspace', label: '<workspace>' },
      { path: '/srv/aiaa/workspace/staging', label: '<staging>' },
      { path: '/tmp', label: '<tmp>' },
    ]);
    const error = new InvalidInputError(
      'model bundle: cannot write /srv/aiaa/workspace/staging/req-1/model/a.onnx (or /tmp/x, /srv/aiaa/workspace/m)',
    );
    const reply = await replyTo(error, filter);
    expect(reply.body).toMatchObject({
      statusCode: 400,
      message: 'model bundle: cannot write <staging>/req-1/model/a.onnx (or <tmp>/x, <workspace>/m)',
    });
  });

  it('answers a busy server with 503 and a too busy client with 429, each with its Retry-After', async () => {
    const busy = await replyTo(new RetryLaterError(503, 'the server is busy', 7));
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '7']);
    const quota = await replyTo(new RetryLaterError(429, 'client over its quota', 30));
    expect([quota.status, quota.headers.get('retry-after')]).toEqual([429, '30']);
  });

  it('answers an unknown session with 440 "Session Expired"', async () => {
    const reply = await replyTo(new SessionNotFoundError('abc'));
    expect(reply.status).toBe(440);
    expect(reply.body).toMatchObject({
      statusCode: 440,
      error: 'Session Expired',
      message: expect.stringContaining("'abc'"),
    });
  });
});
