/**
 * Every error the API or the widget can report. The server throws these codes;
 * the widget maps each one to a human message. Adding a code without a message
 * in {@link errorMessages} fails to compile.
 */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  NotFound: 'not_found',
  SiteNotFound: 'site_not_found',
  CommentNotFound: 'comment_not_found',
  ParentNotFound: 'parent_not_found',
  CommentDeleted: 'comment_deleted',
  Unauthenticated: 'unauthenticated',
  Forbidden: 'forbidden',
  InvalidCredentials: 'invalid_credentials',
  EmailTaken: 'email_taken',
  UserNotFound: 'user_not_found',
  AlreadyReported: 'already_reported',
  UserBanned: 'user_banned',
  PageLocked: 'page_locked',
  EditWindowClosed: 'edit_window_closed',
  OriginNotAllowed: 'origin_not_allowed',
  PayloadTooLarge: 'payload_too_large',
  MalformedBody: 'malformed_body',
  RateLimited: 'rate_limited',
  Internal: 'internal_error',
  /** Client-side only: the server could not be reached. */
  NetworkError: 'network_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/**
 * The messages of the errors a client raises itself, with no server answer
 * to take a message from. Kept apart so the widget's first-paint bundle
 * carries only these; every other message reaches it from the server.
 */
export const clientErrorMessages = {
  not_found: 'Not found.',
  unauthenticated: 'Please sign in first.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  internal_error: 'Something went wrong on the comments server. Please try again.',
  network_error: "Can't reach the comments server.",
} as const satisfies Partial<Record<ErrorCode, string>>;

/** Human messages, shown by the widget and sent by the server as `message`. */
export const errorMessages: Record<ErrorCode, string> = {
  ...clientErrorMessages,
  validation_failed: 'Some fields need attention.',
  site_not_found: 'This site is not set up on the comments server.',
  comment_not_found: 'That comment no longer exists.',
  parent_not_found: 'The comment you are replying to no longer exists.',
  comment_deleted: 'That comment was deleted.',
  forbidden: 'You are not allowed to do that.',
  invalid_credentials: 'Wrong email or password.',
  email_taken: 'An account with this email already exists.',
  user_not_found: 'That user does not exist.',
  already_reported: 'You already reported this comment.',
  user_banned: "You can't comment on this site.",
  page_locked: 'Comments are closed.',
  edit_window_closed: 'This comment can no longer be edited.',
  origin_not_allowed: 'This website is not allowed to use these comments.',
  payload_too_large: 'That is too long to send.',
  malformed_body: 'The request could not be read.',
};

/** HTTP status for each code, so server and docs agree. */
export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  site_not_found: 404,
  comment_not_found: 404,
  parent_not_found: 404,
  comment_deleted: 409,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  email_taken: 409,
  user_not_found: 404,
  already_reported: 409,
  user_banned: 403,
  page_locked: 403,
  edit_window_closed: 403,
  origin_not_allowed: 403,
  payload_too_large: 413,
  malformed_body: 400,
  rate_limited: 429,
  internal_error: 500,
  network_error: 503,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as string[]).includes(value);
}
