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
  reportDetailsMax: 1000,
  reasonMax: 500,
} as const;
