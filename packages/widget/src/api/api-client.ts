import { clientErrorMessages, endpointPath, endpoints, tryAgainIn, type ErrorCode } from '@parley/protocol/client';
import type { OperationId, RouteOutput, RouteRequest } from '@parley/protocol';

/**
 * An API failure the widget can show: a protocol error code and a human
 * message. The message is the server's (from the protocol's one list of
 * messages); errors the widget raises itself take theirs from
 * `clientErrorMessages`, so the widget does not carry the whole list.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: Record<string, string>;
  /** Seconds to wait before retrying, from `Retry-After`. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, options: { message?: string; status?: number; fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(options.message ?? (clientErrorMessages as Partial<Record<ErrorCode, string>>)[code] ?? clientErrorMessages.internal_error);
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? 0;
    this.fields = options.fields ?? {};
    this.retryAfter = options.retryAfter;
  }
}

/** What a request to one operation carries; parts the route lacks may be left out. */
export type CallInput<K extends OperationId> = {
  [P in keyof RouteRequest<K> as RouteRequest<K>[P] extends undefined ? never : P]: RouteRequest<K>[P];
} & { token?: string | null; signal?: AbortSignal };

/**
 * The Parley REST API as the widget sees it. Elements receive an
 * implementation through context; tests hand them a fake.
 */
export interface ParleyApi {
  /** The server's origin, e.g. `http://localhost:3000`. */
  readonly server: string;
  call<K extends OperationId>(operation: K, input: CallInput<K>): Promise<RouteOutput<K>>;
}

/** The real client: `fetch` against the server, typed by the protocol's endpoint table. */
export class HttpApi implements ParleyApi {
  readonly server: string;

  constructor(server: string, private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {
    this.server = server.replace(/\/+$/, '');
  }

  async call<K extends OperationId>(operation: K, input: CallInput<K>): Promise<RouteOutput<K>> {
    const endpoint = endpoints[operation];
    const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    const url = new URL(this.server + endpointPath(endpoint.path, params));
    for (const [key, value] of Object.entries(query ?? {})) {
      // An array is the parameter repeated (`page=/a&page=/b`), as the server's query parser reads it.
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
      else if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (input.token) headers.Authorization = `Bearer ${input.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: endpoint.method.toUpperCase(),
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: input.signal,
        credentials: 'omit',
        mode: 'cors',
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError('network_error');
    }
    if (response.status === 204) return undefined as RouteOutput<K>;
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) throw toApiError(response, payload);
    return payload as RouteOutput<K>;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (error && typeof error.code === 'string' && error.code) {
    return new ApiError(error.code as ErrorCode, {
      message: typeof error.message === 'string' ? error.message : undefined,
      status: response.status,
      fields: (error.fields as Record<string, string> | undefined) ?? {},
      retryAfter,
    });
  }
  if (response.status === 429) {
    // A proxy in front of the server may refuse without Parley's error body.
    const message = retryAfter === undefined ? undefined : `Too many attempts. ${tryAgainIn(retryAfter)}`;
    return new ApiError('rate_limited', { status: 429, message, retryAfter });
  }
  return new ApiError(response.status >= 500 ? 'internal_error' : 'not_found', { status: response.status, retryAfter });
}

/** `Retry-After` in seconds: the header holds either a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) || undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}
