/**
 * A REST client for hostile tests that knows the API only the way any
 * outside client does: from the server's `/api/openapi.json`. Requests come
 * from Node without an Origin, like a script, not a page.
 */

/** One operation as the OpenAPI document lists it. */
interface Operation {
  method: string;
  /** OpenAPI path template, `{name}` for parameters. */
  path: string;
}

export interface CallInput {
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
}

/** The error body every failure carries. */
export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/** What came back: the success body, or the error the server gave. */
export type CallResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiErrorBody };

/** The API refused the call as invalid input (400): expected for some hostile payloads. */
export function isRefusal(result: CallResult<unknown>): result is { ok: false; status: 400; error: ApiErrorBody } {
  return !result.ok && result.status === 400;
}

export class RestClient {
  private constructor(
    readonly serverUrl: string,
    private readonly operations: ReadonlyMap<string, Operation>,
  ) {}

  /** Reads the server's OpenAPI document and returns a client for its operations. */
  static async connect(serverUrl: string): Promise<RestClient> {
    const response = await fetch(`${serverUrl}/api/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
    const document = (await response.json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const operations = new Map<string, Operation>();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.operationId) operations.set(operation.operationId, { method: method.toUpperCase(), path });
      }
    }
    return new RestClient(serverUrl, operations);
  }

  /** Calls an operation; answers with the body or the error, never throws for an HTTP status. */
  async call<T>(operationId: string, input: CallInput = {}): Promise<CallResult<T>> {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`The server's OpenAPI document has no operation ${operationId}`);
    const path = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = input.params?.[name];
      if (value === undefined) throw new Error(`${operationId} needs the path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = new URL(this.serverUrl + path);
    for (const [key, value] of Object.entries(input.query ?? {})) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (input.token) headers.authorization = `Bearer ${input.token}`;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method: operation.method,
      headers,
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.ok) return { ok: true, status: response.status, body: parsed as T };
    const error = (parsed as { error?: ApiErrorBody } | undefined)?.error;
    return { ok: false, status: response.status, error: error ?? { code: 'unknown', message: text } };
  }

  /** Calls an operation that must succeed; a failure throws with the server's answer. */
  async expect<T>(operationId: string, input: CallInput = {}): Promise<T> {
    const result = await this.call<T>(operationId, input);
    if (!result.ok) throw new Error(`${operationId} answered ${result.status}: ${JSON.stringify(result.error)}`);
    return result.body;
  }

  /**
   * Every item of a paged list operation, following `nextCursor` with the
   * largest page the API allows.
   */
  async all<T>(operationId: string, key: string, input: CallInput = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { ...input.query, limit: 100, ...(cursor ? { cursor } : {}) };
      const page: Record<string, unknown> & { nextCursor: string | null } = await this.expect(operationId, { ...input, query });
      items.push(...(page[key] as T[]));
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

/** Runs `work` over `items`, at most `width` at a time, keeping the order of the results. */
export async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
