import { z } from 'zod';

/** Wire shapes of the account routes (browser-safe: zod only). */

/** A mobile number: E.164 (`+8613800138000`), or a mainland number (`13800138000`) read as +86. */
export const PhoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .transform((v) => (/^1\d{10}$/.test(v) ? `+86${v}` : v))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'a mobile number like +8613800138000'));

/** The answer when the outcome must not say more (a reset for an unknown address, a code for an unknown number). */
export const AcceptedSchema = z.object({ accepted: z.literal(true) }).meta({ id: 'Accepted' });

export const ResetLinkSchema = z.object({ email: z.string() }).meta({ id: 'ResetLinkOk' });

export const PasswordResetSchema = z
  .object({ endedSessions: z.number().int() })
  .meta({ id: 'PasswordReset' });
