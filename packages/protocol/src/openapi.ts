import { z } from 'zod';
import { errorMessages, errorStatus, isErrorCode, type ErrorCode } from './codes.js';
import { ErrorBody } from './errors.js';
import { routes, type RouteSpec } from './routes.js';

type JsonSchema = Record<string, unknown>;

/** Named schemas (those with a `.meta({ id })`), collected into `components.schemas`. */
type Components = Record<string, JsonSchema>;

/**
 * JSON Schema of a zod schema for the OpenAPI document: named sub-schemas go to
 * `components.schemas` and are referenced from there.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = json;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  // A schema with defaults or transforms differs as input and as output: the
  // input form gets its own name when the output form is already registered.
  const names = new Map<string, string>();
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
            const id = inner.slice('#/$defs/'.length);
            return [key, `#/components/schemas/${names.get(id) ?? id}`];
          }
          return [key, rewrite(inner)];
        }),
      );
    }
    return value;
  };
  // First pass names every definition as itself, to compare like with like.
  for (const id of Object.keys(defs)) names.set(id, id);
  for (const [id, def] of Object.entries(defs)) {
    const taken = components[id] && JSON.stringify(components[id]) !== JSON.stringify(rewrite(def));
    if (taken && io === 'input') names.set(id, `${id}Input`);
  }
  for (const [id, def] of Object.entries(defs)) components[names.get(id)!] = rewrite(def) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

function parameters(spec: RouteSpec, components: Components): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, obj] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!obj) continue;
    const json = resolve(toSchema(obj, 'input', components), components);
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

/** Follows a top-level `$ref`, for parameter objects whose properties are listed one by one. */
function resolve(schema: JsonSchema, components: Components): JsonSchema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? (components[ref.replace('#/components/schemas/', '')] ?? schema) : schema;
}

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route table and
 * its zod schemas.
 */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const components: Components = {};
  const errorSchema = toSchema(ErrorBody, 'output', components);
  for (const spec of Object.values(routes) as RouteSpec[]) {
    const responses: Record<string, JsonSchema> = {};
    responses[String(spec.status)] = spec.response
      ? {
          description: 'Success',
          content: { 'application/json': { schema: toSchema(spec.response, 'output', components) } },
        }
      : { description: 'Success, no content' };
    const codes = ['validation_failed', ...spec.errors, 'internal_error'].filter(isErrorCode);
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
      const status = errorStatus[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, list] of byStatus) {
      responses[String(status)] = {
        description: list.map((code) => `\`${code}\`: ${errorMessages[code]}`).join(' '),
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    const operation: JsonSchema = {
      operationId: spec.operationId,
      summary: spec.summary,
      parameters: parameters(spec, components),
      responses,
      // Moderator routes need a session too; the role is checked on top of it.
      ...(spec.auth !== 'public' ? { security: [{ bearer: [] }] } : {}),
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(spec.body, 'input', components) } },
      };
    }
    const key = toOpenApiPath(spec.path);
    paths[key] = { ...paths[key], [spec.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: options.version,
      description: 'REST API of a Parley comments server. Realtime events travel over socket.io; see docs/api.md.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Session token from signIn or signUp.' } },
    },
  };
}
