import { NOTIFICATION_TYPES } from '@market/core/browser';
import { z } from 'zod';

/** The notification centre's wire shapes (browser-safe: zod and core/browser only). */
export const NotificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });

export const NotificationPageSchema = z
  .object({
    items: z.array(NotificationSchema),
    unread: z.number().int(),
    nextBefore: z.number().int().nullable(),
  })
  .meta({ id: 'NotificationPage' });

export const UnreadSchema = z.object({ unread: z.number().int() }).meta({ id: 'UnreadCount' });

const ChannelSwitches = z.object({ email: z.boolean(), sms: z.boolean() });
export const PreferencesSchema = z
  .object(
    Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, ChannelSwitches])) as Record<
      (typeof NOTIFICATION_TYPES)[number],
      typeof ChannelSwitches
    >,
  )
  .meta({ id: 'NotificationPreferences' });

export const PreferencesChangeSchema = z
  .object(
    Object.fromEntries(
      NOTIFICATION_TYPES.map((t) => [
        t,
        z.object({ email: z.boolean(), sms: z.boolean() }).partial().strict().optional(),
      ]),
    ),
  )
  .strict()
  .meta({ id: 'NotificationPreferencesChange' });
