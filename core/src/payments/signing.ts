import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/** A webhook that must not be processed; `code` says why (`invalid_signature`, `stale_timestamp`, `replayed`…). */
export class WebhookRejectedError extends AppError {
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message, {
      fields: [{ field: code === 'malformed' ? 'body' : 'header.sandbox-signature', message }],
    });
    this.status = code === 'replayed' ? 409 : 400;
  }
}

export const SIGNATURE_HEADER = 'sandbox-signature';
/** Deliveries older or newer than this are refused (a captured request cannot be replayed later). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * `t=<unix milliseconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">`. Milliseconds, not seconds, so that
 * two deliveries of one event (a quick retry) never carry the same signature, which the receiver would
 * rightly refuse as a replay.
 */
export function signWebhook(secret: string, rawBody: string, at: Date): string {
  const t = at.getTime();
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** Verifies a signature header; returns a fingerprint of the delivery for replay detection. */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  header: string | undefined,
  now: Date,
): string {
  if (!header) throw new WebhookRejectedError('invalid_signature', 'The signature header is missing');
  const parts = new Map(
    header.split(',').map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1))
    throw new WebhookRejectedError('invalid_signature', 'The signature header is malformed');
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex')))
    throw new WebhookRejectedError('invalid_signature', 'The signature does not match the body');
  if (Math.abs(now.getTime() - t) > WEBHOOK_TOLERANCE_SECONDS * 1000)
    throw new WebhookRejectedError('stale_timestamp', 'The signature timestamp is more than 5 minutes off');
  return createHash('sha256').update(v1).digest('hex');
}
