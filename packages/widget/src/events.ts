import type { Comment, Me, PublicUser, ReportReason } from '@parley/protocol';

const init = { bubbles: true, composed: true } as const;

/**
 * Fired before a comment or reply is sent. Cancel it to stop the post (for
 * example to run a host-side check first); the text stays in the composer.
 */
export class ParleyBeforePostEvent extends Event {
  static readonly type = 'parley-before-post';
  constructor(
    readonly body: string,
    readonly parentId: string | null,
  ) {
    super(ParleyBeforePostEvent.type, { ...init, cancelable: true });
  }
}

/** Fired after the reader's comment or reply was accepted by the server. */
export class ParleyCommentPostedEvent extends Event {
  static readonly type = 'parley-comment-posted';
  constructor(readonly comment: Comment) {
    super(ParleyCommentPostedEvent.type, init);
  }
}

/** Fired after the reader saved an edit of their comment. */
export class ParleyCommentEditedEvent extends Event {
  static readonly type = 'parley-comment-edited';
  constructor(readonly comment: Comment) {
    super(ParleyCommentEditedEvent.type, init);
  }
}

/** Fired after the reader deleted their comment. */
export class ParleyCommentDeletedEvent extends Event {
  static readonly type = 'parley-comment-deleted';
  constructor(readonly commentId: string) {
    super(ParleyCommentDeletedEvent.type, init);
  }
}

/** Fired when the reader signed in or created an account. */
export class ParleySignInEvent extends Event {
  static readonly type = 'parley-sign-in';
  constructor(
    readonly user: Me,
    readonly created: boolean,
  ) {
    super(ParleySignInEvent.type, init);
  }
}

/** Fired when the reader signed out. */
export class ParleySignOutEvent extends Event {
  static readonly type = 'parley-sign-out';
  constructor() {
    super(ParleySignOutEvent.type, init);
  }
}

/** Fired when the reader closes a reply composer without posting. */
export class ParleyCancelEvent extends Event {
  static readonly type = 'parley-cancel';
  constructor() {
    super(ParleyCancelEvent.type, init);
  }
}

/** Fired after the reader's report of a comment was accepted. */
export class ParleyCommentReportedEvent extends Event {
  static readonly type = 'parley-comment-reported';
  constructor(
    readonly commentId: string,
    readonly reason: ReportReason,
  ) {
    super(ParleyCommentReportedEvent.type, init);
  }
}

/** Fired after the reader blocked a user. */
export class ParleyUserBlockedEvent extends Event {
  static readonly type = 'parley-user-blocked';
  constructor(readonly user: PublicUser) {
    super(ParleyUserBlockedEvent.type, init);
  }
}

/** Fired after the reader unblocked a user. */
export class ParleyUserUnblockedEvent extends Event {
  static readonly type = 'parley-user-unblocked';
  constructor(readonly user: PublicUser) {
    super(ParleyUserUnblockedEvent.type, init);
  }
}

/** Fired after the reader deleted their account; they are signed out by then. */
export class ParleyAccountDeletedEvent extends Event {
  static readonly type = 'parley-account-deleted';
  constructor() {
    super(ParleyAccountDeletedEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-before-post': ParleyBeforePostEvent;
    'parley-comment-posted': ParleyCommentPostedEvent;
    'parley-comment-edited': ParleyCommentEditedEvent;
    'parley-comment-deleted': ParleyCommentDeletedEvent;
    'parley-sign-in': ParleySignInEvent;
    'parley-sign-out': ParleySignOutEvent;
    'parley-cancel': ParleyCancelEvent;
    'parley-comment-reported': ParleyCommentReportedEvent;
    'parley-user-blocked': ParleyUserBlockedEvent;
    'parley-user-unblocked': ParleyUserUnblockedEvent;
    'parley-account-deleted': ParleyAccountDeletedEvent;
    'parley-report-request': ParleyReportRequestEvent;
  }
}

/**
 * Asks the widget to open its report dialog for a comment. `<parley-comments>`
 * answers (and cancels the event) with one dialog for the whole widget, so the
 * dialog outlives a comment that the report itself hides; a comment used on
 * its own falls back to a dialog of its own.
 */
export class ParleyReportRequestEvent extends Event {
  static readonly type = 'parley-report-request';
  constructor(
    readonly commentId: string,
    readonly opener: HTMLElement,
  ) {
    super(ParleyReportRequestEvent.type, { ...init, cancelable: true });
  }
}
