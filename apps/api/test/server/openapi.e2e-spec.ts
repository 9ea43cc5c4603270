import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ERROR_KINDS_SENT } from '../../src/common/domain-error.filter';
import { CLIENT_TYPES_FILE, OPENAPI_FILE, generateOpenApi, sortKeys } from '../../src/docs/openapi-file';
import { REPO_ROOT } from '../support/server-process';
import { useTestApp } from '../support/test-app';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(60_000);

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; encoding?: unknown }> }>;
}
interface Document {
  info: { version: string; license?: { name: string } };
  servers?: unknown[];
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { enum?: unknown[] }> }> };
}

/** Every operation of the document, as `METHOD /path` with its object. */
function operationsOf(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${route}`, op]),
  );
}

/** MONAI Label's training routes, which never succeed here (404 or 501): no 200 to document. */
const NEVER_SUCCEEDS = ['GET /train', 'POST /train', 'DELETE /train', 'POST /train/{model}'];

/** The error replies that do not use the `Error` schema on purpose, each a report or a page of its own. */
const OWN_ERROR_BODIES = ['GET /health/ready 503', 'GET / 503'];

describe('the OpenAPI document (apps/api/openapi.json) and the client types generated from it', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = JSON.parse(await fs.readFile(OPENAPI_FILE, 'utf8')) as Document;
  });

  it('is what the code generates (regenerate: npm run openapi)', async () => {
    expect(await generateOpenApi()).toEqual(doc);
  });

  it('has client types that are what the document generates (regenerate: npm run openapi)', async () => {
    // In a child Node: the generator loads ES modules that Jest cannot require.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/api/src/scripts/print-client-types.ts'],
      { cwd: REPO_ROOT, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' }, maxBuffer: 16 << 20 },
    );
    expect(stdout).toBe(await fs.readFile(CLIENT_TYPES_FILE, 'utf8'));
  });

  it('names every operation with a short camelCase id, a summary and a description', () => {
    for (const [name, op] of operationsOf(doc)) {
      expect([name, op.operationId]).toEqual([name, expect.stringMatching(/^[a-z][A-Za-z0-9]{1,24}$/)]);
      expect([name, op.summary, op.description]).toEqual([name, expect.any(String), expect.any(String)]);
    }
  });

  it('answers every error of every operation with the one Error schema, whose kinds are the server’s', () => {
    for (const [name, op] of operationsOf(doc)) {
      const expected = NEVER_SUCCEEDS.includes(name) ? ['500'] : ['200', '500'];
      expect([name, Object.keys(op.responses)]).toEqual([name, expect.arrayContaining(expected)]);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && !OWN_ERROR_BODIES.includes(`${name} ${status}`)) {
          const schema = response.content?.['application/json']?.schema;
          expect([name, status, schema]).toEqual([name, status, { $ref: '#/components/schemas/Error' }]);
        }
      }
    }
    expect(doc.components.schemas['Error']?.properties?.['kind']?.enum).toEqual(ERROR_KINDS_SENT);
  });

  it('asks for the admin token on every /admin route, the log and the metrics, and for nothing elsewhere', () => {
    expect(doc.security).toEqual([]);
    const adminOnly = (name: string): boolean =>
      name.includes(' /admin/') || ['GET /logs', 'GET /metrics'].includes(name);
    for (const [name, op] of operationsOf(doc)) {
      expect([name, op.security]).toEqual([name, adminOnly(name) ? [{ bearer: [] }, {}] : undefined]);
      if (adminOnly(name)) {
        expect([name, Object.keys(op.responses)]).toEqual([name, expect.arrayContaining(['403'])]);
      }
    }
  });

  it('documents the multipart replies with their params and image parts and their encodings', () => {
    const multipart = operationsOf(doc).filter(([, op]) => op.responses['200']?.content?.['multipart/form-data']);
    expect(multipart.map(([name]) => name).sort()).toEqual([
      'POST /infer/{model}',
      ...['deepgrow', 'dextr3d', 'fixpolygon', 'inference', 'segmentation'].map((route) => `POST /v1/${route}`),
    ]);
    for (const [, op] of multipart) {
      expect(op.responses['200']?.content?.['multipart/form-data']?.encoding).toEqual({
        image: { contentType: 'application/octet-stream' },
        params: { contentType: 'application/json' },
      });
    }
  });

  it('takes its version and licence from package.json', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
      license: string;
    };
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.license?.name).toBe(pkg.license);
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  describe('served at /docs-json by the running server', () => {
    const server = useTestApp();

    it('is the committed document, so /docs shows the same schemas', async () => {
      const res = await fetch(`${server.base}/docs-json`);
      expect(res.status).toBe(200);
      expect(sortKeys(await res.json())).toEqual(doc);
    });
  });
});
