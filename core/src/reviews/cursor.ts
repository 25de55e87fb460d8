import { ValidationError } from '../errors';

/** A position in a newest-first list of reviews: the last item's time and id (ties broken by id). */
export interface ReviewPosition {
  at: Date;
  id: string;
}

export function encodeCursor(pos: ReviewPosition): string {
  return Buffer.from(JSON.stringify([pos.at.getTime(), pos.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ReviewPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 200
    )
      return { at: new Date(parsed[0] as number), id: parsed[1] };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ field: 'query.cursor', message: 'not a cursor from a previous page' }]);
}

/** The filter for items after `pos` in `createdAt desc, _id desc` order. */
export function afterPosition(pos: ReviewPosition): Record<string, unknown> {
  return { $or: [{ createdAt: { $lt: pos.at } }, { createdAt: pos.at, _id: { $lt: pos.id } }] };
}
