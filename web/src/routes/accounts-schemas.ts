import { z } from 'zod';
import { OrderSchema } from '../schemas-commerce';

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

/**
 * The account export: everything held about the person (profile, orders as buyer, reviews, points,
 * coupons redeemed, notifications, sessions, the recommender's profile). Sections are typed loosely here;
 * each is its own domain's shape.
 */
export const AccountExportSchema = z
  .object({
    exportedAt: z.string(),
    profile: z.record(z.string(), z.unknown()).nullable(),
    orders: z.array(OrderSchema),
    reviews: z.array(z.record(z.string(), z.unknown())),
    points: z.record(z.string(), z.unknown()),
    couponsRedeemed: z.array(z.record(z.string(), z.unknown())),
    notifications: z.array(z.record(z.string(), z.unknown())),
    notificationPreferences: z.record(z.string(), z.unknown()),
    sessions: z.array(z.record(z.string(), z.unknown())),
    recommendations: z.unknown(),
  })
  .meta({ id: 'AccountExport' });

export const AccountClosedSchema = z
  .object({ closed: z.literal(true), eraseJobId: z.string() })
  .meta({ id: 'AccountClosed' });
