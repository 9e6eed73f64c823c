import { describe, expect, it } from 'vitest';
import {
  CommentCountsQuery,
  CreateCommentBody,
  commentCountLabel,
  ListCommentsQuery,
  SignUpBody,
  errorCodes,
  errorMessages,
  errorStatus,
  limits,
  endpointPath,
  endpoints,
  routes,
} from '../src/index.js';

describe('SignUpBody', () => {
  const valid = { site: 'default', name: 'Ann', email: 'ann@example.com', password: 'correct horse' };

  it('accepts a valid sign-up and trims name and email', () => {
    expect(SignUpBody.parse({ ...valid, name: '  Ann ', email: ' ann@example.com ' })).toMatchObject({
      name: 'Ann',
      email: 'ann@example.com',
    });
  });

  it('refuses a password shorter than the minimum with a readable message', () => {
    const result = SignUpBody.safeParse({ ...valid, password: 'short' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`Password must be at least ${limits.passwordMin} characters.`);
  });

  it('refuses a blank name, a control character in a name, and a bad email', () => {
    expect(SignUpBody.safeParse({ ...valid, name: '   ' }).success).toBe(false);
    expect(SignUpBody.safeParse({ ...valid, name: 'A\u0007nn' }).success).toBe(false);
    expect(SignUpBody.safeParse({ ...valid, email: 'not-an-email' }).success).toBe(false);
  });

  it('refuses a site id with uppercase letters or slashes', () => {
    expect(SignUpBody.safeParse({ ...valid, site: 'Default' }).success).toBe(false);
    expect(SignUpBody.safeParse({ ...valid, site: 'a/b' }).success).toBe(false);
  });
});

describe('CreateCommentBody', () => {
  const valid = { site: 'default', page: '/post', body: 'Hello' };

  it('refuses an empty or whitespace-only body', () => {
    expect(CreateCommentBody.safeParse({ ...valid, body: '' }).success).toBe(false);
    expect(CreateCommentBody.safeParse({ ...valid, body: ' \n\t ' }).success).toBe(false);
  });

  it('refuses a body over the limit and accepts one at the limit', () => {
    expect(CreateCommentBody.safeParse({ ...valid, body: 'x'.repeat(limits.commentMax + 1) }).success).toBe(false);
    expect(CreateCommentBody.safeParse({ ...valid, body: 'x'.repeat(limits.commentMax) }).success).toBe(true);
  });

  it('accepts only http(s) page URLs', () => {
    expect(CreateCommentBody.safeParse({ ...valid, pageUrl: 'https://example.com/post' }).success).toBe(true);
    expect(CreateCommentBody.safeParse({ ...valid, pageUrl: 'javascript:alert(1)' }).success).toBe(false);
  });

  it('refuses ids that are not positive integers', () => {
    expect(CreateCommentBody.safeParse({ ...valid, parentId: '0' }).success).toBe(false);
    expect(CreateCommentBody.safeParse({ ...valid, parentId: '1; DROP TABLE' }).success).toBe(false);
    expect(CreateCommentBody.safeParse({ ...valid, parentId: '42' }).success).toBe(true);
  });
});

describe('ListCommentsQuery', () => {
  it('fills defaults and coerces the limit from a query string', () => {
    expect(ListCommentsQuery.parse({ site: 'default', page: '/p', limit: '5' })).toEqual({
      site: 'default',
      page: '/p',
      sort: 'newest',
      limit: 5,
    });
  });

  it('refuses a limit above the maximum', () => {
    expect(ListCommentsQuery.safeParse({ site: 'default', page: '/p', limit: String(limits.pageSizeMax + 1) }).success).toBe(false);
  });
});

describe('CommentCountsQuery', () => {
  it('takes one page or the parameter repeated, trimmed, each key once in the order given', () => {
    expect(CommentCountsQuery.parse({ page: '/a' })).toEqual({ page: ['/a'] });
    expect(CommentCountsQuery.parse({ site: 'default', page: ['/b', ' /a ', '/b', '/a'] })).toEqual({ site: 'default', page: ['/b', '/a'] });
  });

  it(`refuses no page, a blank one, and more than ${limits.countPagesMax}, saying why`, () => {
    const message = (input: unknown) => {
      const result = CommentCountsQuery.safeParse(input);
      return result.success ? 'accepted' : result.error.issues[0]?.message;
    };
    expect(message({})).toBe('Page is required.');
    expect(message({ page: ['/a', '  '] })).toBe('Page is required.');
    expect(message({ page: Array.from({ length: limits.countPagesMax + 1 }, (_, i) => `/${i}`) })).toBe(
      `At most ${limits.countPagesMax} pages per request.`,
    );
    expect(message({ page: Array.from({ length: limits.countPagesMax }, (_, i) => `/${i}`) })).toBe('accepted');
  });
});

describe('commentCountLabel', () => {
  it('says "No comments", "1 comment" and "1,234 comments"', () => {
    expect([0, 1, 2, 1234].map(commentCountLabel)).toEqual(['No comments', '1 comment', '2 comments', '1,234 comments']);
  });
});

describe('error codes', () => {
  it('gives every code a message and a 4xx/5xx status', () => {
    for (const code of errorCodes) {
      expect(errorMessages[code]).toMatch(/\S/);
      expect(errorStatus[code]).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('endpoints', () => {
  it('fills path parameters, encoded', () => {
    expect(endpointPath('/api/comments/:id', { id: '12' })).toBe('/api/comments/12');
    expect(endpointPath('/api/comments/:id', { id: '../x' })).toBe('/api/comments/..%2Fx');
  });

  it('match the route table one to one', () => {
    for (const [id, route] of Object.entries(routes)) {
      const endpoint = endpoints[id as keyof typeof endpoints];
      expect({ method: route.method, path: route.path, auth: route.auth, status: route.status }).toEqual(endpoint);
      expect(route.operationId).toBe(id);
    }
  });
});
