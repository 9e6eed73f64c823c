import type { OperationId } from '@parley/protocol';
import { ApiError, HttpApi } from '../api/api-client.js';

/**
 * The ApiError the widget gets when the server refuses `operation` with 429:
 * read by the real client from the response the server sends, so component
 * tests see exactly what readers would.
 */
export async function rateLimitedError(message: string, retryAfter: number, operation: OperationId = 'signIn'): Promise<ApiError> {
  const respond = async () =>
    new Response(JSON.stringify({ error: { code: 'rate_limited', message } }), {
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) },
    });
  try {
    // Any operation will do: the answer is the same whatever was asked.
    await new HttpApi('http://parley.test', respond).call(operation, { body: {}, params: {}, query: {} } as never);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the 429 answer did not fail the call');
}
