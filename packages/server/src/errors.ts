import { ErrorCode, errorMessages, errorStatus } from '@parley/protocol';

/**
 * The one error type the server throws on purpose. `code` and `fields` reach
 * the client; `logContext` only reaches the log.
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string>;
  readonly logContext?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    options: { message?: string; fields?: Record<string, string>; logContext?: Record<string, unknown> } = {},
  ) {
    super(options.message ?? errorMessages[code]);
    this.name = 'ParleyError';
    this.code = code;
    this.status = errorStatus[code];
    this.fields = options.fields;
    this.logContext = options.logContext;
  }

  toBody(): { error: { code: ErrorCode; message: string; fields?: Record<string, string> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

export { ErrorCode };
