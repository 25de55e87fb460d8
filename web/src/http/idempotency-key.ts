import { z } from 'zod';

/**
 * The `Idempotency-Key` request header (1–255 visible ASCII characters), as a route's `headers` part:
 * documented, and checked before the handler runs (400 naming the header).
 */
const IdempotencyKey = z
  .string('required: send one so that a retried request cannot order twice')
  .regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 visible ASCII characters')
  .describe('Chosen by the client, one per intended action; a retry with the same key gets the first answer');

/** For a route that needs one (checkout: a retried request must not order twice). */
export const IdempotencyKeyHeaders = z.object({ 'idempotency-key': IdempotencyKey });

/** For a route that takes one to make a retry safe, and makes its own when there is none. */
export const OptionalIdempotencyKeyHeaders = z.object({ 'idempotency-key': IdempotencyKey.optional() });
