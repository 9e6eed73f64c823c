import type { z } from 'zod';
import { ErrorCode, ParleyError } from '../errors.js';

/** Parses input with a protocol schema; a failure becomes a 400 naming each field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  // reportInput: without it zod drops `issue.input`, and every wrong type would read as missing.
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { reportInput: true });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : where;
    fields[key] ??= issue.code === 'invalid_type' && issue.input === undefined ? `${label(key)} is required.` : issue.message;
  }
  const first = Object.values(fields)[0] ?? 'The request is not valid.';
  throw new ParleyError(ErrorCode.ValidationFailed, { message: first, fields });
}

function label(key: string): string {
  const last = key.split('.').pop() ?? key;
  return last.charAt(0).toUpperCase() + last.slice(1);
}
