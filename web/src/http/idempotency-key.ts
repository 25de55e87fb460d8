import { BadRequestError } from '@market/core';
import { z } from 'zod';
import type { AppContext } from './session';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header of a route that requires one (its `headers` part). */
export const IdempotencyKeyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string('required: send one so that a retried request cannot order twice')
    .regex(KEY, '1 to 255 visible ASCII characters')
    .describe(
      'Chosen by the client, one per intended action; a retry with the same key gets the first answer',
    ),
});

/** The request's `Idempotency-Key` (1–255 visible ASCII characters); required where `required`. */
export function idempotencyKey(ctx: AppContext, required: true): string;
export function idempotencyKey(ctx: AppContext, required: false): string | null;
export function idempotencyKey(ctx: AppContext, required: boolean): string | null {
  const key = ctx.get(IDEMPOTENCY_HEADER);
  if (!key) {
    if (!required) return null;
    throw new BadRequestError('Send an Idempotency-Key header so a retried request cannot order twice', {
      fields: [{ field: 'header.idempotency-key', message: 'required' }],
    });
  }
  if (!KEY.test(key))
    throw new BadRequestError('The Idempotency-Key is not valid', {
      fields: [{ field: 'header.idempotency-key', message: '1 to 255 visible ASCII characters' }],
    });
  return key;
}
