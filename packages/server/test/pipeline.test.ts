import { afterEach, describe, expect, it } from 'vitest';
import type { SiteSettings } from '@parley/protocol';
import { ParleyError } from '../src/errors.js';
import {
  bannedUser,
  bannedWords,
  findBannedWord,
  lockedPage,
  premoderation,
  reachedReportThreshold,
  runPipeline,
  writePipeline,
  type Phase,
  type PhaseContext,
} from '../src/domain/moderation/pipeline.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { cleanup, onCleanup } from './helpers.js';

afterEach(cleanup);

const NOW = '2030-01-15T12:00:00.000Z';

const defaults: SiteSettings = { premoderation: 'off', reportThreshold: 3, bannedWords: [], editWindowMinutes: 0, lockedPages: [] };

/** A real in-memory store with a site and an author, and a context builder for phases. */
async function setup() {
  const store = openSqliteStore(':memory:', { eventRetention: 100 });
  onCleanup(() => store.close());
  await store.ensureSite('default', 'default');
  const author = (await store.createUser({ name: 'Alice', email: 'alice@example.com', passwordHash: 'x', now: NOW }))!;
  const moderator = (await store.createUser({ name: 'Mod', email: 'mod@example.com', passwordHash: 'x', now: NOW }))!;
  const ctx = (overrides: Partial<PhaseContext> = {}): PhaseContext => ({
    store,
    site: 'default',
    page: '/a',
    authorId: author.id,
    source: 'Hello',
    settings: defaults,
    now: NOW,
    kind: 'create',
    ...overrides,
  });
  return { store, author, moderator, ctx };
}

/** What a phase did: passed, held (with why), or refused (with the error code and message). */
async function outcome(phase: Phase, ctx: PhaseContext): Promise<unknown> {
  try {
    return await phase(ctx);
  } catch (error) {
    if (error instanceof ParleyError) return { refused: error.code, status: error.status, message: error.message };
    throw error;
  }
}

describe('findBannedWord', () => {
  it('matches fullwidth and ligature spellings, in the text and in the list alike', () => {
    expect(findBannedWord('so much \uFF53\uFF50\uFF41\uFF4D here', ['spam'])).toBe('spam');
    expect(findBannedWord('so much spam here', ['\uFF53\uFF50\uFF41\uFF4D'])).toBe('spam');
    expect(findBannedWord('the \uFB01ne print', ['fine'])).toBe('fine');
  });

  it('finds a whole word in any case and names it as listed', () => {
    expect(findBannedWord('This is SPAM.', ['Spam'])).toBe('Spam');
    expect(findBannedWord('spam', ['spam'])).toBe('spam');
    expect(findBannedWord('(spam)', ['spam'])).toBe('spam');
    expect(findBannedWord('**spam**', ['spam'])).toBe('spam');
    expect(findBannedWord('line one\nspam\nline three', ['spam'])).toBe('spam');
  });

  it('ignores the word inside a longer word', () => {
    for (const text of ['spammer', 'antispam', 'spam_bot', 'spam2', 'éspam', 'spamé']) {
      expect(findBannedWord(text, ['spam']), text).toBeNull();
    }
  });

  it('matches phrases whole', () => {
    expect(findBannedWord('you are a Total Idiot, sir', ['total idiot'])).toBe('total idiot');
    expect(findBannedWord('a total idiotic idea', ['total idiot'])).toBeNull();
  });

  it('returns the first match in the text when several words are listed', () => {
    expect(findBannedWord('fraud and scam', ['scam', 'fraud'])).toBe('fraud');
  });

  it('treats words as literal text, not patterns', () => {
    expect(findBannedWord('a.b', ['a.b'])).toBe('a.b');
    expect(findBannedWord('axb', ['a.b'])).toBeNull();
    expect(findBannedWord('I love c++ a lot', ['c++'])).toBe('c++');
    expect(findBannedWord('anything', ['.*'])).toBeNull();
    expect(findBannedWord('(a+)+$ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', ['(a+)+$'])).toBe('(a+)+$');
  });

  it('matches letters of other scripts, and compatibility forms of the text', () => {
    expect(findBannedWord('Это СПАМ!', ['спам'])).toBe('спам');
    expect(findBannedWord('Это спамер', ['спам'])).toBeNull();
    // Fullwidth letters normalise (NFKC) to plain ones, so they cannot dodge the list.
    expect(findBannedWord('ｓｐａｍ', ['spam'])).toBe('spam');
  });

  it('ignores blank entries and an empty list', () => {
    expect(findBannedWord('anything at all', [])).toBeNull();
    expect(findBannedWord('anything at all', ['', '   '])).toBeNull();
    expect(findBannedWord('some spam', ['  spam  '])).toBe('spam');
  });
});

describe('the bannedUser phase', () => {
  it('passes a user without a ban, or whose ban has ended', async () => {
    const { store, author, moderator, ctx } = await setup();
    expect(await outcome(bannedUser, ctx())).toEqual({ action: 'pass' });
    await store.setBan({ siteId: 'default', userId: author.id, reason: 'x', expiresAt: '2030-01-15T11:59:59.000Z', createdBy: moderator.id, now: NOW });
    expect(await outcome(bannedUser, ctx())).toEqual({ action: 'pass' });
  });

  it('refuses a temporarily banned user with user_banned and the end date', async () => {
    const { store, author, moderator, ctx } = await setup();
    await store.setBan({ siteId: 'default', userId: author.id, reason: 'x', expiresAt: '2030-01-22T12:00:00.000Z', createdBy: moderator.id, now: NOW });
    for (const kind of ['create', 'edit'] as const) {
      expect(await outcome(bannedUser, ctx({ kind }))).toEqual({
        refused: 'user_banned',
        status: 403,
        message: "You can't comment on this site until 2030-01-22.",
      });
    }
  });

  it('refuses a permanently banned user without a date', async () => {
    const { store, author, moderator, ctx } = await setup();
    await store.setBan({ siteId: 'default', userId: author.id, reason: 'x', expiresAt: null, createdBy: moderator.id, now: NOW });
    expect(await outcome(bannedUser, ctx())).toEqual({ refused: 'user_banned', status: 403, message: "You can't comment on this site." });
  });

  it('only looks at the site being written to', async () => {
    const { store, author, moderator, ctx } = await setup();
    await store.ensureSite('other', 'other');
    await store.setBan({ siteId: 'other', userId: author.id, reason: 'x', expiresAt: null, createdBy: moderator.id, now: NOW });
    expect(await outcome(bannedUser, ctx())).toEqual({ action: 'pass' });
  });
});

describe('the lockedPage phase', () => {
  it('refuses a new comment on a locked page with page_locked, and lets edits through', async () => {
    const { store, ctx } = await setup();
    expect(await outcome(lockedPage, ctx())).toEqual({ action: 'pass' });
    await store.saveSettings('default', { ...defaults, lockedPages: ['/a'] }, NOW);
    expect(await outcome(lockedPage, ctx())).toEqual({ refused: 'page_locked', status: 403, message: 'Comments are closed.' });
    expect(await outcome(lockedPage, ctx({ kind: 'edit' }))).toEqual({ action: 'pass' });
    expect(await outcome(lockedPage, ctx({ page: '/b' }))).toEqual({ action: 'pass' });
  });
});

describe('the bannedWords phase', () => {
  it('holds text with a banned word, naming it, on create and on edit', async () => {
    const { ctx } = await setup();
    const settings = { ...defaults, bannedWords: ['scam'] };
    for (const kind of ['create', 'edit'] as const) {
      expect(await outcome(bannedWords, ctx({ settings, source: 'A SCAM', kind }))).toEqual({ action: 'hold', reason: 'Banned word: scam' });
    }
    expect(await outcome(bannedWords, ctx({ settings, source: 'scampi' }))).toEqual({ action: 'pass' });
  });
});

describe('the premoderation phase', () => {
  it('passes everything when off', async () => {
    const { ctx } = await setup();
    expect(await outcome(premoderation, ctx())).toEqual({ action: 'pass' });
  });

  it('holds every new comment when set to all, but not edits', async () => {
    const { ctx } = await setup();
    const settings: SiteSettings = { ...defaults, premoderation: 'all' };
    expect(await outcome(premoderation, ctx({ settings }))).toEqual({ action: 'hold', reason: 'Pre-moderation: everyone' });
    expect(await outcome(premoderation, ctx({ settings, kind: 'edit' }))).toEqual({ action: 'pass' });
  });

  it('holds a commenter with nothing approved when set to new, and passes one with an approved comment', async () => {
    const { store, author, ctx } = await setup();
    const settings: SiteSettings = { ...defaults, premoderation: 'new' };
    expect(await outcome(premoderation, ctx({ settings }))).toEqual({ action: 'hold', reason: 'Pre-moderation: new commenter' });

    const held = await store.createComment({
      siteId: 'default',
      page: { key: '/a' },
      parentId: null,
      authorId: author.id,
      source: 'Hi',
      html: '<p>Hi</p>',
      now: NOW,
      heldReason: 'Pre-moderation: new commenter',
    });
    // A held comment does not count.
    expect(await outcome(premoderation, ctx({ settings }))).toEqual({ action: 'hold', reason: 'Pre-moderation: new commenter' });
    await store.setModeration({ siteId: 'default', id: held.record.comment.id, moderation: 'approved', reason: null, resolveReports: true, now: NOW });
    expect(await outcome(premoderation, ctx({ settings }))).toEqual({ action: 'pass' });
  });
});

describe('runPipeline', () => {
  it('runs the phases in order: banned user, locked page, banned words, pre-moderation', () => {
    expect(writePipeline).toEqual([bannedUser, lockedPage, bannedWords, premoderation]);
  });

  it('passes when every phase passes', async () => {
    const { ctx } = await setup();
    expect(await runPipeline(writePipeline, ctx())).toEqual({ action: 'pass' });
  });

  it('returns the first hold and runs no later phase', async () => {
    const { ctx } = await setup();
    const ran: string[] = [];
    const phase = (name: string, result: Awaited<ReturnType<Phase>>): Phase => async () => {
      ran.push(name);
      return result;
    };
    const result = await runPipeline(
      [phase('a', { action: 'pass' }), phase('b', { action: 'hold', reason: 'first' }), phase('c', { action: 'hold', reason: 'second' })],
      ctx(),
    );
    expect(result).toEqual({ action: 'hold', reason: 'first' });
    expect(ran).toEqual(['a', 'b']);
  });

  it('refuses before it holds: a banned user with a banned word is refused, not held', async () => {
    const { store, author, moderator, ctx } = await setup();
    await store.setBan({ siteId: 'default', userId: author.id, reason: 'x', expiresAt: null, createdBy: moderator.id, now: NOW });
    const settings: SiteSettings = { ...defaults, bannedWords: ['scam'], premoderation: 'all' };
    await expect(runPipeline(writePipeline, ctx({ settings, source: 'scam' }))).rejects.toMatchObject({ code: 'user_banned' });
  });

  it('names the banned word rather than pre-moderation when both would hold', async () => {
    const { ctx } = await setup();
    const settings: SiteSettings = { ...defaults, bannedWords: ['scam'], premoderation: 'all' };
    expect(await runPipeline(writePipeline, ctx({ settings, source: 'scam' }))).toEqual({ action: 'hold', reason: 'Banned word: scam' });
  });
});

describe('reachedReportThreshold', () => {
  it('is reached at the threshold, not before', () => {
    const settings = { ...defaults, reportThreshold: 3 };
    expect([0, 1, 2, 3, 4].map((n) => reachedReportThreshold(n, settings))).toEqual([false, false, false, true, true]);
    expect(reachedReportThreshold(1, { ...defaults, reportThreshold: 1 })).toBe(true);
  });
});
