import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { AccountMailType, Channel, Locale, NotificationParams, NotificationType } from './types';

/**
 * A notification in someone's centre. `_id` is `ntf:<type>:<sourceId>:<userId>`: the same event
 * delivered fifty times names the same document, and only the first insert succeeds. Written once by
 * the delivery job, then only by its owner (marking it read).
 */
export interface NotificationDoc {
  _id: string;
  userId: string;
  type: NotificationType;
  sourceId: string;
  params: NotificationParams;
  locale: Locale;
  title: string;
  body: string;
  link: string | null;
  /** Its version in the person's inbox stream (`inbox.ts`), taken before this document was written. */
  position: number;
  readAt: Date | null;
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: String,
    userId: { type: String, required: true, index: true },
    type: { type: String, required: true },
    sourceId: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    locale: { type: String, required: true },
    title: String,
    body: String,
    link: { type: String, default: null },
    position: { type: Number, required: true },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/**
 * One channel send of one notification (or account mail), `_id` = `sent:<id>:<channel>`: inserted right
 * after the provider accepted it, so a retry of the job skips a channel that went out.
 */
export interface SendRecordDoc {
  _id: string;
  channel: Channel;
  providerRef: string;
  at: Date;
}

const sendRecordSchema = new Schema<SendRecordDoc>(
  { _id: String, channel: String, providerRef: String, at: Date },
  { versionKey: false },
);

/** A person's switches; absent types and channels take the defaults (`preferences.ts`). */
export interface PreferencesDoc {
  _id: string;
  email: Record<string, boolean>;
  sms: Record<string, boolean>;
  updatedAt: Date;
}

const preferencesSchema = new Schema<PreferencesDoc>(
  {
    _id: String,
    email: { type: Schema.Types.Mixed, default: {} },
    sms: { type: Schema.Types.Mixed, default: {} },
    updatedAt: Date,
  },
  { versionKey: false, minimize: false },
);

/**
 * An account mail waiting for its job (a reset or verification link). The link's token lives here, not
 * in the job's payload, and the document is deleted once the mail went out: finished jobs are kept a
 * week, a token must not be.
 */
export interface AccountMailDoc {
  _id: string;
  userId: string;
  to: string;
  type: AccountMailType;
  locale: Locale;
  params: NotificationParams;
  createdAt: Date;
}

const accountMailSchema = new Schema<AccountMailDoc>(
  {
    _id: String,
    userId: String,
    to: String,
    type: String,
    locale: String,
    params: { type: Schema.Types.Mixed, default: {} },
    createdAt: Date,
  },
  { versionKey: false, minimize: false },
);

export function notificationModels(connection: Connection) {
  return {
    Notifications: modelOn<NotificationDoc>(connection, 'Notification', notificationSchema, 'notifications'),
    SendRecords: modelOn<SendRecordDoc>(
      connection,
      'NotificationSend',
      sendRecordSchema,
      'notification_sends',
    ),
    Preferences: modelOn<PreferencesDoc>(
      connection,
      'NotificationPreferences',
      preferencesSchema,
      'notification_preferences',
    ),
    AccountMails: modelOn<AccountMailDoc>(
      connection,
      'AccountMail',
      accountMailSchema,
      'account_mail_outbox',
    ),
  };
}
