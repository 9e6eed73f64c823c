import { z } from 'zod';
import { errorCodes } from './codes.js';

/** The one shape of every error response: `{ error: { code, message, fields? } }`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      /** Field path (dot-joined) to a message, for validation errors. */
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

