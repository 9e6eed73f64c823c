/** Size limits shared by the server's validation and the widget's inputs. */
export const limits = {
  nameMax: 50,
  emailMax: 254,
  passwordMin: 8,
  passwordMax: 200,
  commentMax: 10_000,
  pageKeyMax: 512,
  pageUrlMax: 2048,
  pageTitleMax: 300,
  siteIdMax: 64,
  pageSizeMax: 100,
  pageSizeDefault: 20,
  /** Most pages one `getCommentCounts` request asks about. */
  countPagesMax: 100,
  reportDetailsMax: 1000,
  reasonMax: 500,
  /**
   * How deep replies nest: a top-level comment is at depth 0, a reply to it at
   * depth 1. A reply that would sit deeper than this is refused.
   */
  maxDepth: 50,
  /**
   * Most replies one `listComments` response carries. A page ends early rather
   * than split a comment's replies; a single comment with more replies than
   * this keeps the oldest ones and is listed in `moreReplies`.
   */
  repliesPerResponseMax: 500,
} as const;
