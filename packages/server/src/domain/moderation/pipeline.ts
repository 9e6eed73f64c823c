import type { BanInfo, SiteSettings } from '@parley/protocol';
import { ErrorCode, ParleyError } from '../../errors.js';
import type { Store } from '../../store/types.js';

/** What a phase decides about a comment being posted or edited. */
export type PhaseResult = { action: 'pass' } | { action: 'hold'; reason: string };

export interface PhaseContext {
  store: Store;
  site: string;
  page: string;
  authorId: string;
  source: string;
  settings: SiteSettings;
  now: string;
  /** Posting a new comment, or editing one. */
  kind: 'create' | 'edit';
}

/** One step of moderation: passes, holds with a reason, or refuses by throwing a ParleyError. */
export type Phase = (ctx: PhaseContext) => Promise<PhaseResult>;

const pass: PhaseResult = { action: 'pass' };

/** The refusal a banned user gets for any write, naming the end date of a temporary ban. */
export function bannedError(ban: BanInfo, logContext: Record<string, unknown>): ParleyError {
  const until = ban.expiresAt ? ` until ${ban.expiresAt.slice(0, 10)}` : '';
  return new ParleyError(ErrorCode.UserBanned, { message: `You can't comment on this site${until}.`, logContext });
}

/** A banned user cannot post or edit on the site. */
export const bannedUser: Phase = async ({ store, site, authorId, now }) => {
  const ban = await store.getBan(site, authorId, now);
  if (!ban) return pass;
  throw bannedError(ban, { site, authorId });
};

/** Nobody posts on a page whose comments are closed. */
export const lockedPage: Phase = async ({ store, site, page, kind }) => {
  if (kind !== 'create') return pass;
  const state = await store.getPageState(site, page);
  if (state.locked) throw new ParleyError(ErrorCode.PageLocked);
  return pass;
};

const WORD_CHAR = '[\\p{L}\\p{N}_]';

/** The first banned word or phrase in the text, matched whole and in any case. */
export function findBannedWord(source: string, words: readonly string[]): string | null {
  // Both sides in NFKC, so a fullwidth or ligature spelling matches its plain form.
  const list = words.map((w) => w.normalize('NFKC').trim()).filter(Boolean);
  if (!list.length) return null;
  // Literals only (escaped), so a moderator's list cannot make a slow pattern.
  const escaped = list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<!${WORD_CHAR})(?:${escaped.join('|')})(?!${WORD_CHAR})`, 'iu');
  const match = pattern.exec(source.normalize('NFKC'));
  if (!match) return null;
  return list.find((w) => w.toLowerCase() === match[0].toLowerCase()) ?? match[0];
}

/** A comment with a banned word waits for a moderator, who sees which word. */
export const bannedWords: Phase = async ({ source, settings }) => {
  const word = findBannedWord(source, settings.bannedWords);
  return word ? { action: 'hold', reason: `Banned word: ${word}` } : pass;
};

/** Pre-moderation holds new comments from everyone, or from commenters with nothing approved yet. */
export const premoderation: Phase = async ({ store, site, authorId, settings, kind }) => {
  if (kind !== 'create' || settings.premoderation === 'off') return pass;
  if (settings.premoderation === 'all') return { action: 'hold', reason: 'Pre-moderation: everyone' };
  return (await store.hasApprovedComment(site, authorId))
    ? pass
    : { action: 'hold', reason: 'Pre-moderation: new commenter' };
};

/** The phases a comment goes through when it is posted or edited, in order. */
export const writePipeline: readonly Phase[] = [bannedUser, lockedPage, bannedWords, premoderation];

/** Runs the phases; the first hold wins, a refusal throws. */
export async function runPipeline(phases: readonly Phase[], ctx: PhaseContext): Promise<PhaseResult> {
  for (const phase of phases) {
    const result = await phase(ctx);
    if (result.action === 'hold') return result;
  }
  return pass;
}

/** Once this many distinct readers report a comment, it waits for review. */
export function reachedReportThreshold(reporters: number, settings: SiteSettings): boolean {
  return reporters >= settings.reportThreshold;
}
