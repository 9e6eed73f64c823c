import { z } from 'zod';
import { ErrorBody } from './errors.js';
import type { pageEventTypes } from './rooms.js';
import { Comment, DeleteMode, Id, PageKey, SiteId } from './schemas.js';

const PageEventBase = z.object({
  site: SiteId,
  page: PageKey,
  seq: z.number().int().positive().describe('Per-page sequence number; increases by one with every event of the page.'),
  count: z.number().int().describe('Published comments on the page after this event.'),
});

export const CommentCreatedEvent = PageEventBase.extend({
  type: z.literal('comment:created'),
  comment: Comment,
}).meta({ id: 'CommentCreatedEvent' });

export const CommentUpdatedEvent = PageEventBase.extend({
  type: z.literal('comment:updated'),
  comment: Comment,
}).meta({ id: 'CommentUpdatedEvent' });

export const CommentDeletedEvent = PageEventBase.extend({
  type: z.literal('comment:deleted'),
  id: Id,
  mode: DeleteMode,
}).meta({ id: 'CommentDeletedEvent' });

export const PageUpdatedEvent = PageEventBase.extend({
  type: z.literal('page:updated'),
  locked: z.boolean().describe('Comments are closed on the page.'),
}).meta({ id: 'PageUpdatedEvent' });

/**
 * Every event broadcast to a page's room, in the order of `seq`. A comment
 * that becomes visible (posted, approved, restored) arrives as
 * `comment:created`; one that changes in place (edited, pinned, tombstoned by
 * a moderator) as `comment:updated`; one that leaves the thread as
 * `comment:deleted` with mode `removed`.
 */
export const PageEvent = z.discriminatedUnion('type', [
  CommentCreatedEvent,
  CommentUpdatedEvent,
  CommentDeletedEvent,
  PageUpdatedEvent,
]);
export type PageEvent = z.infer<typeof PageEvent>;
export type PageEventType = PageEvent['type'];

// Keeps the zod-free list of event names in step with the union.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventNamesMatch: Same<(typeof pageEventTypes)[number], PageEventType> = true;
void eventNamesMatch;
export type PageEventOf<T extends PageEventType> = Extract<PageEvent, { type: T }>;

export const JoinPageRequest = z
  .object({
    site: SiteId,
    page: PageKey,
    since: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('The last `seq` this client saw; the reply carries every later event.'),
  })
  .meta({ id: 'JoinPageRequest' });
export type JoinPageRequest = z.infer<typeof JoinPageRequest>;

export const JoinPageReply = z.union([
  z.object({
    ok: z.literal(true),
    seq: z.number().int(),
    missed: z.array(PageEvent).describe('Events after `since`, in order.'),
  }),
  z.object({
    ok: z.literal(false),
    /** True when `since` is older than the events the server keeps: reload the thread. */
    reload: z.boolean(),
    error: ErrorBody.shape.error.optional(),
  }),
]);
export type JoinPageReply = z.infer<typeof JoinPageReply>;

export const LeavePageRequest = z.object({ site: SiteId, page: PageKey });
export type LeavePageRequest = z.infer<typeof LeavePageRequest>;

export const JoinModerationRequest = z
  .object({ site: SiteId, token: z.string().min(1).max(200) })
  .meta({ id: 'JoinModerationRequest' });
export type JoinModerationRequest = z.infer<typeof JoinModerationRequest>;

export const JoinModerationReply = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: ErrorBody.shape.error }),
]);
export type JoinModerationReply = z.infer<typeof JoinModerationReply>;

/** Something changed in a site's moderation queues, settings or audit log: refetch what is shown. */
export const ModerationChangedEvent = z
  .object({
    site: SiteId,
    change: z.enum(['reported', 'held', 'moderated', 'banned', 'settings']),
    commentId: Id.nullable(),
  })
  .meta({ id: 'ModerationChangedEvent' });
export type ModerationChangedEvent = z.infer<typeof ModerationChangedEvent>;

/**
 * Events the server sends to a page's room. Payloads are built by the server's
 * store from typed rows and follow the schemas above; clients that want to
 * check them can parse with `PageEvent`.
 */
export interface ServerToClientEvents {
  'comment:created': (event: PageEventOf<'comment:created'>) => void;
  'comment:updated': (event: PageEventOf<'comment:updated'>) => void;
  'comment:deleted': (event: PageEventOf<'comment:deleted'>) => void;
  'page:updated': (event: PageEventOf<'page:updated'>) => void;
  /** Only to sockets that joined a site's moderation room. */
  'moderation:changed': (event: ModerationChangedEvent) => void;
}

/**
 * Events a client sends. Types are not validation: the server parses each
 * payload with the schemas above.
 */
export interface ClientToServerEvents {
  'page:join': (request: JoinPageRequest, ack: (reply: JoinPageReply) => void) => void;
  'page:leave': (request: LeavePageRequest) => void;
  /** Moderators only: the token is checked and the role on `site` required. */
  'moderation:join': (request: JoinModerationRequest, ack: (reply: JoinModerationReply) => void) => void;
  'moderation:leave': (request: { site: string }) => void;
}
