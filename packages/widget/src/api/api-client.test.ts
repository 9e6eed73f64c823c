import { expect } from '@open-wc/testing';
import { ApiError, HttpApi } from './api-client.js';

/** An HttpApi whose every request gets `response`. */
function answering(response: () => Response): HttpApi {
  return new HttpApi('http://parley.test', async () => response());
}

async function failure(api: HttpApi): Promise<ApiError> {
  try {
    await api.call('signIn', { body: { email: 'ada@example.com', password: 'x' } });
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the call should have failed');
}

describe('HttpApi', () => {
  describe('a 429 answer', () => {
    it("keeps the server's message and reads Retry-After in seconds", async () => {
      const error = await failure(
        answering(
          () =>
            new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many failed sign-ins for this account. Try again in 15 minutes.' } }), {
              status: 429,
              headers: { 'Content-Type': 'application/json', 'Retry-After': '900' },
            }),
        ),
      );

      expect(error.code).to.equal('rate_limited');
      expect(error.status).to.equal(429);
      expect(error.retryAfter).to.equal(900);
      expect(error.message).to.equal('Too many failed sign-ins for this account. Try again in 15 minutes.');
    });

    it('says when to try again when a proxy answered without a Parley error body', async () => {
      const error = await failure(answering(() => new Response('<html>Too Many Requests</html>', { status: 429, headers: { 'Retry-After': '120' } })));

      expect(error.code).to.equal('rate_limited');
      expect(error.retryAfter).to.equal(120);
      expect(error.message).to.equal('Too many attempts. Try again in 2 minutes.');
    });

    it('reads a Retry-After given as an HTTP date', async () => {
      const at = new Date(Date.now() + 45_000).toUTCString();
      const error = await failure(answering(() => new Response('', { status: 429, headers: { 'Retry-After': at } })));

      // An HTTP date has whole seconds: 44 or 45 seconds from now.
      expect(error.retryAfter).to.be.within(44, 45);
      expect(error.message).to.match(/^Too many attempts\. Try again in 4[45] seconds\.$/);
    });

    it('falls back to the plain message without Retry-After', async () => {
      const error = await failure(answering(() => new Response('', { status: 429 })));

      expect(error.retryAfter).to.equal(undefined);
      expect(error.message).to.equal('Too many attempts. Please wait a moment and try again.');
    });
  });

  it('sends an array in the query as the parameter repeated', async () => {
    const urls: string[] = [];
    const api = new HttpApi('http://parley.test/', async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ counts: {} }), { headers: { 'Content-Type': 'application/json' } });
    });

    await api.call('getCommentCounts', { query: { site: 'default', page: ['/a', '/b c'] } });

    expect(urls).to.deep.equal(['http://parley.test/api/counts?site=default&page=%2Fa&page=%2Fb+c']);
  });
});

