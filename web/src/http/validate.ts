import { BadRequestError, ValidationError, type FieldIssue } from '@market/core';
import type { z } from 'zod';

export type RequestPart = 'body' | 'query' | 'params' | 'header';

/**
 * Finds the first key that starts with `$` or contains a `.` anywhere in a parsed JSON body. Such keys
 * are how `{ "email": { "$gt": "" } }` style operator injection arrives; no field of ours is named so.
 */
function findOperatorKey(value: unknown, path: string, depth = 0): string | null {
  if (depth > 32) return path;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findOperatorKey(v, `${path}.${i}`, depth + 1);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') || k.includes('.')) return `${path}.${k}`;
      const hit = findOperatorKey(v, `${path}.${k}`, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

export function toFieldIssues(part: RequestPart, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/**
 * Parses one part of a request with its schema, naming every bad field: 422 for the body, query and path,
 * 400 for headers (a client's plumbing, not a form's fields) and for operator keys.
 */
export function parsePart<S extends z.ZodType>(part: RequestPart, schema: S, value: unknown): z.output<S> {
  const operatorKey = findOperatorKey(value, part);
  if (operatorKey) {
    throw new BadRequestError('Keys starting with "$" or containing "." are not allowed', {
      fields: [{ field: operatorKey, message: 'not allowed' }],
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = toFieldIssues(part, result.error);
  if (part === 'header') throw new BadRequestError('A request header is missing or not valid', { fields });
  throw new ValidationError(fields);
}
