import type { Ban, ModerationAction, QueueItem, SiteSettings } from '@parley/protocol';

const init = { bubbles: true, composed: true } as const;

/** Fired after the moderator approved, removed or restored a comment. */
export class ParleyModeratedEvent extends Event {
  static readonly type = 'parley-moderated';
  constructor(
    readonly commentId: string,
    readonly action: ModerationAction,
  ) {
    super(ParleyModeratedEvent.type, init);
  }
}

/** Fired after the moderator banned a user from commenting on the site. */
export class ParleyUserBannedEvent extends Event {
  static readonly type = 'parley-user-banned';
  constructor(
    readonly userId: string,
    readonly ban: Ban,
  ) {
    super(ParleyUserBannedEvent.type, init);
  }
}

/** Fired after the moderator lifted a ban. */
export class ParleyUserUnbannedEvent extends Event {
  static readonly type = 'parley-user-unbanned';
  constructor(readonly userId: string) {
    super(ParleyUserUnbannedEvent.type, init);
  }
}

/** Fired after the moderator saved the site's settings, or locked or unlocked a page. */
export class ParleySettingsSavedEvent extends Event {
  static readonly type = 'parley-settings-saved';
  constructor(readonly settings: SiteSettings) {
    super(ParleySettingsSavedEvent.type, init);
  }
}

/**
 * Internal to `<parley-admin>`: a queue item asks for the remove or ban
 * dialog. It bubbles but is not composed, so it stays inside the admin's
 * shadow root, where the dialogs live; a dialog there outlives the item when
 * a live update takes the item out of the list.
 */
export class ParleyQueueRequestEvent extends Event {
  static readonly type = 'parley-queue-request';
  constructor(
    readonly request: 'remove' | 'ban',
    readonly item: QueueItem,
    /** The button that asked, for focus to return to. */
    readonly opener: HTMLElement,
  ) {
    super(ParleyQueueRequestEvent.type, { bubbles: true, composed: false });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-moderated': ParleyModeratedEvent;
    'parley-user-banned': ParleyUserBannedEvent;
    'parley-user-unbanned': ParleyUserUnbannedEvent;
    'parley-settings-saved': ParleySettingsSavedEvent;
    'parley-queue-request': ParleyQueueRequestEvent;
  }
}
