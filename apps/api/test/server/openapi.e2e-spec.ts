import * as fs from 'node:fs/promises';
import { OPENAPI_FILE, generateOpenApi } from '../../src/docs/openapi-file';

// Real servers, SQLite and onnxruntime on a shared machine: allow for a loaded CPU.
jest.setTimeout(30_000);

describe('apps/api/openapi.json', () => {
  it('is what the code generates (regenerate: npm run openapi)', async () => {
    const committed = JSON.parse(await fs.readFile(OPENAPI_FILE, 'utf8')) as unknown;
    expect(await generateOpenApi()).toEqual(committed);
  });

  it('documents the admin routes with their multipart parts and statuses', async () => {
    const doc = JSON.parse(await fs.readFile(OPENAPI_FILE, 'utf8')) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>
      >;
    };
    const put = doc.paths['/admin/model/{name}']?.['put'];
    expect(Object.keys(put?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(Object.keys(put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '413']));
    expect(doc.paths['/admin/model']?.['get']).toBeDefined();
    expect(doc.paths['/admin/model/{name}']?.['delete']).toBeDefined();
  });
});
