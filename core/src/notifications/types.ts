/** What a notification is about. Each has a zh and an en template (`templates.ts`). */
export const NOTIFICATION_TYPES = [
  'order_paid',
  'order_shipped',
  'order_out_for_delivery',
  'order_delivered',
  'order_refunded',
  'aftersales_updated',
  'payout_sent',
  'seller_application_decided',
  'price_dropped',
  'back_in_stock',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Mails about the account itself: always sent, never in the notification centre, not switchable. */
export const ACCOUNT_MAIL_TYPES = ['password_reset', 'email_verification'] as const;
export type AccountMailType = (typeof ACCOUNT_MAIL_TYPES)[number];

export const CHANNELS = ['in_app', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels a person can switch; in-app is always on (it is the notification centre itself). */
export type SwitchableChannel = Exclude<Channel, 'in_app'>;

export { LOCALES, type Locale } from '../users/types';

/**
 * The few display fields a template needs (order number, product name, amounts in fen, a link path).
 * Flat strings and numbers only, so they store as they are.
 */
export type NotificationParams = Record<string, string | number | null>;

/** A notification in someone's notification centre, rendered in their language when it was created. */
export interface Notification {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  /** An in-app path to open, e.g. `/orders/ord_…`. */
  link: string | null;
  read: boolean;
  createdAt: Date;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  /** Pass back as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

/** Whether each switchable channel is on for each type. */
export type NotificationPreferences = Record<NotificationType, Record<SwitchableChannel, boolean>>;

/** What a template produces for one locale. */
export interface RenderedNotification {
  title: string;
  body: string;
  link: string | null;
  email: { subject: string; text: string; html: string };
  sms: string;
}
