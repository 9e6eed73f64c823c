import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, limits, routes } from '../src/index.js';

type Json = Record<string, unknown>;

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') out.push(inner);
      else collectRefs(inner, out);
    }
  }
  return out;
}

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument({ version: '1.2.3', serverUrl: 'https://comments.example.com' }) as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const operations = Object.values(paths).flatMap((methods) => Object.values(methods));

  it('is OpenAPI 3.1 with the version and server given', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect((doc.info as Json).version).toBe('1.2.3');
    expect(doc.servers).toEqual([{ url: 'https://comments.example.com' }]);
  });

  it('has one operation per route, named by operationId', () => {
    expect(operations.map((op) => op.operationId).sort()).toEqual(Object.keys(routes).sort());
  });

  it('uses OpenAPI path templates', () => {
    expect(paths['/api/comments/{id}']).toBeDefined();
    expect(Object.keys(paths).some((p) => p.includes(':'))).toBe(false);
  });

  it('resolves every $ref inside the document', () => {
    const schemas = ((doc.components as Json).schemas ?? {}) as Json;
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('marks session routes with bearer security and documents the error body', () => {
    const create = paths['/api/comments']!.post!;
    expect(create.security).toEqual([{ bearer: [] }]);
    const responses = create.responses as Record<string, Json>;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['201', '400', '401']));
    expect(JSON.stringify(responses['401'])).toContain('#/components/schemas/ErrorBody');
  });

  it('describes the query parameters of listComments with their defaults', () => {
    const list = paths['/api/comments']!.get!;
    const params = list.parameters as Json[];
    expect(params.map((p) => p.name)).toEqual(['site', 'page', 'sort', 'cursor', 'limit']);
    expect(params.find((p) => p.name === 'page')?.required).toBe(true);
    expect(params.find((p) => p.name === 'site')?.required).toBe(false);
    expect(params.find((p) => p.name === 'limit')?.required).toBe(false);
  });

  it('describes the page parameter of getCommentCounts as one key or several, at most the cap', () => {
    const counts = paths['/api/counts']!.get!;
    const page = (counts.parameters as Json[]).find((p) => p.name === 'page')!;
    expect(page.required).toBe(true);
    expect(JSON.stringify(page.schema)).toContain(`"maxItems":${limits.countPagesMax}`);
  });
});
