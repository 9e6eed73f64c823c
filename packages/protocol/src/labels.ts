/**
 * Words people see for protocol values, shared by the widget and the admin
 * element. Free of zod, so the browser bundle can use them.
 */

export const reportReasons = ['spam', 'harassment', 'off_topic', 'illegal', 'other'] as const;

/** In the order the report dialog lists them. */
export const reportReasonLabels: Record<(typeof reportReasons)[number], string> = {
  spam: 'Spam',
  harassment: 'Harassment or hate',
  off_topic: 'Off-topic',
  illegal: 'Illegal content',
  other: 'Other',
};

export const banDurations = ['1d', '7d', '30d', 'permanent'] as const;

export const banDurationLabels: Record<(typeof banDurations)[number], string> = {
  '1d': '1 day',
  '7d': '7 days',
  '30d': '30 days',
  permanent: 'Permanent',
};

export const premoderationModes = ['off', 'new', 'all'] as const;

export const premoderationLabels: Record<(typeof premoderationModes)[number], string> = {
  off: 'Off',
  new: 'New commenters',
  all: 'Everyone',
};

/**
 * A wait in words, rounded up to a unit a reader takes in at a glance:
 * "30 seconds", "1 minute", "2 hours".
 */
export function waitLabel(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const [count, unit] =
    whole < 60 ? [whole, 'second'] : whole < 3600 ? [Math.ceil(whole / 60), 'minute'] : [Math.ceil(whole / 3600), 'hour'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** The second sentence of every `rate_limited` message: "Try again in 30 seconds." */
export function tryAgainIn(seconds: number): string {
  return `Try again in ${waitLabel(seconds)}.`;
}

const wholeNumber = new Intl.NumberFormat('en');

/**
 * A page's comment count in words, as article lists show it: "No comments",
 * "1 comment", "1,234 comments".
 */
export function commentCountLabel(count: number): string {
  if (count === 0) return 'No comments';
  return `${wholeNumber.format(count)} comment${count === 1 ? '' : 's'}`;
}
