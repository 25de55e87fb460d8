import type { PreferencesDoc } from './model';
import { NOTIFICATION_TYPES, type NotificationPreferences, type NotificationType } from './types';

/**
 * Defaults: every notification by email (the person gave us the address for this), and by SMS only
 * "out for delivery", the one worth a text when someone must be home. In-app is always on.
 */
const DEFAULT_SMS: ReadonlySet<NotificationType> = new Set(['order_out_for_delivery']);

export function preferencesFrom(doc: PreferencesDoc | null): NotificationPreferences {
  return Object.fromEntries(
    NOTIFICATION_TYPES.map((type) => [
      type,
      {
        email: doc?.email?.[type] ?? true,
        sms: doc?.sms?.[type] ?? DEFAULT_SMS.has(type),
      },
    ]),
  ) as NotificationPreferences;
}
