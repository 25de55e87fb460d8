import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { isDuplicateKeyError, NotFoundError } from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import type { JobQueue } from '../jobs';
import type { User } from '../users';
import { createInbox, unreadOf } from './inbox';
import { notificationModels, type NotificationDoc } from './model';
import { preferencesFrom } from './preferences';
import type {
  AccountMailType,
  Notification,
  NotificationPage,
  NotificationParams,
  NotificationPreferences,
  NotificationType,
  SwitchableChannel,
} from './types';

export const NOTIFICATION_DELIVER_JOB = 'notifications.deliver';
export const NOTIFICATION_SEND_JOB = 'notifications.send';
export const ACCOUNT_MAIL_JOB = 'mail.account';

export interface DeliverPayload {
  userId: string;
  type: NotificationType;
  sourceId: string;
  params: NotificationParams;
}

export interface SendPayload {
  notificationId: string;
  channel: SwitchableChannel;
}

/** One notification per (type, source, person), however often its event arrives. */
export const notificationIdFor = (type: NotificationType, sourceId: string, userId: string) =>
  `ntf:${type}:${sourceId}:${userId}`;

/**
 * The Message-ID of a notification's (or account mail's) email: the same on every retry, so the
 * receiving side can drop a copy sent again after a crash between "accepted" and "recorded".
 */
export const messageIdFor = (id: string, channel: string) =>
  `<${createHash('sha256').update(`${id}|${channel}`).digest('hex').slice(0, 40)}@notifications.bazaar>`;

const MAX_PAGE = 50;

export function toNotification(doc: NotificationDoc, readUpTo: number): Notification {
  return {
    id: doc._id,
    type: doc.type,
    title: doc.title,
    body: doc.body,
    link: doc.link,
    read: !!doc.readAt || doc.position <= readUpTo,
    createdAt: doc.createdAt,
  };
}

/**
 * The notification centre: what producers call (`notify`, `sendAccountMail`), what people read and
 * switch. Delivery itself runs in jobs (`delivery.ts`).
 */
export function createNotificationService(deps: {
  connection: Connection;
  bus: EventBus;
  queue: JobQueue;
  clock: Clock;
}) {
  const { Notifications, Preferences, AccountMails, SendRecords } = notificationModels(deps.connection);
  const inbox = createInbox({ connection: deps.connection, clock: deps.clock });

  async function loadOwned(userId: string, notificationId: string): Promise<NotificationDoc> {
    const doc = await Notifications.findById(notificationId).lean<NotificationDoc>();
    // Someone else's notification answers exactly like one that does not exist.
    if (!doc || doc.userId !== userId) throw new NotFoundError('Notification');
    return doc;
  }

  return {
    inbox,
    /**
     * Queues one notification for one person. The job's dedupe key is the notification id, so a storm
     * of the same event queues one job; the job's unique inserts make a retry harmless.
     */
    async notify(input: DeliverPayload): Promise<string> {
      const id = notificationIdFor(input.type, input.sourceId, input.userId);
      await deps.queue.enqueue(NOTIFICATION_DELIVER_JOB, input, { dedupeKey: id, maxAttempts: 8 });
      return id;
    },

    /**
     * Queues an account mail (reset, verification). The link travels in an outbox document that the job
     * deletes once the mail went out, never in the job's payload (finished jobs are kept a week).
     */
    async sendAccountMail(
      user: Pick<User, 'id' | 'email' | 'locale'>,
      type: AccountMailType,
      params: NotificationParams,
    ): Promise<string> {
      const mailId = newId('mail');
      await AccountMails.create({
        _id: mailId,
        userId: user.id,
        to: user.email,
        type,
        locale: user.locale,
        params,
        createdAt: deps.clock(),
      });
      await deps.queue.enqueue(ACCOUNT_MAIL_JOB, { mailId }, { dedupeKey: mailId, maxAttempts: 8 });
      return mailId;
    },

    /** Newest first, `limit` at a time; `before` is the previous page's `nextBefore`. */
    async list(userId: string, opts: { before?: number; limit?: number } = {}): Promise<NotificationPage> {
      const head = await inbox.head(userId);
      const limit = Math.min(Math.max(opts.limit ?? 20, 1), MAX_PAGE);
      const items: Notification[] = [];
      let lastPosition = 0;
      let version = Math.min(opts.before !== undefined ? opts.before - 1 : Infinity, head?.version ?? 0);
      // Reads are entries too (at most one per addition), so a page may take more than one batch.
      while (version > 0 && items.length < limit) {
        const batch = Array.from({ length: Math.min(version, limit * 2) }, (_, i) => version - i);
        const entries = await Promise.all(batch.map((v) => inbox.entry(userId, v)));
        const added = entries.filter((e) => e?.kind === 'added' && e.notificationId);
        const docs = await Promise.all(
          added.map((e) => Notifications.findById(e!.notificationId).lean<NotificationDoc>()),
        );
        for (const doc of docs) {
          if (!doc || items.length === limit) continue;
          items.push(toNotification(doc, head?.readUpTo ?? 0));
          lastPosition = doc.position;
        }
        version -= batch.length;
      }
      const more = items.length === limit && lastPosition > 1;
      return { items, unread: unreadOf(head), nextBefore: more ? lastPosition : null };
    },

    async unreadCount(userId: string): Promise<number> {
      return unreadOf(await inbox.head(userId));
    },

    async get(userId: string, notificationId: string): Promise<Notification> {
      const [doc, head] = await Promise.all([loadOwned(userId, notificationId), inbox.head(userId)]);
      return toNotification(doc, head?.readUpTo ?? 0);
    },

    async markRead(userId: string, notificationId: string): Promise<number> {
      const doc = await loadOwned(userId, notificationId);
      const unread = await inbox.markRead(userId, doc._id, doc.position);
      // The owner is this document's only writer after its creation.
      if (!doc.readAt) await Notifications.updateOne({ _id: doc._id }, { $set: { readAt: deps.clock() } });
      await deps.bus.publish('notification.read', {
        userId,
        notificationIds: [doc._id],
        unread,
        at: deps.clock().toISOString(),
      });
      return unread;
    },

    async markAllRead(userId: string): Promise<number> {
      const unread = await inbox.markAllRead(userId);
      await deps.bus.publish('notification.read', {
        userId,
        notificationIds: null,
        unread,
        at: deps.clock().toISOString(),
      });
      return unread;
    },

    async preferences(userId: string): Promise<NotificationPreferences> {
      return preferencesFrom(await Preferences.findById(userId).lean());
    },

    /** Changes some switches; one writer (the person), so a plain upsert. */
    async setPreferences(
      userId: string,
      change: Partial<Record<NotificationType, Partial<Record<SwitchableChannel, boolean>>>>,
    ): Promise<NotificationPreferences> {
      const set: Record<string, unknown> = { updatedAt: deps.clock() };
      for (const [type, channels] of Object.entries(change))
        for (const [channel, on] of Object.entries(channels ?? {})) set[`${channel}.${type}`] = on;
      try {
        await Preferences.updateOne({ _id: userId }, { $set: set }, { upsert: true });
      } catch (err) {
        // Two first saves at once both inserted; the other won, so update it.
        if (!isDuplicateKeyError(err)) throw err;
        await Preferences.updateOne({ _id: userId }, { $set: set });
      }
      return this.preferences(userId);
    },

    /** Everything the notification centre holds about a person (the account export). */
    async exportFor(userId: string) {
      const [notifications, preferences] = await Promise.all([
        Notifications.find({ userId }).sort({ createdAt: 1 }).lean<NotificationDoc[]>(),
        this.preferences(userId),
      ]);
      return {
        preferences,
        notifications: notifications.map((d) => ({
          id: d._id,
          type: d.type,
          title: d.title,
          body: d.body,
          link: d.link,
          readAt: d.readAt,
          createdAt: d.createdAt,
        })),
      };
    },

    /** Erasure: the person's notifications, switches and pending mails go; the inbox stream too. */
    async eraseFor(userId: string): Promise<void> {
      const ids = (await Notifications.find({ userId }, { _id: 1 }).lean()).map((d) => d._id);
      await Notifications.deleteMany({ userId });
      if (ids.length)
        await SendRecords.deleteMany({
          _id: { $in: ids.flatMap((id) => ['email', 'sms'].map((c) => `sent:${id}:${c}`)) },
        });
      await Preferences.deleteOne({ _id: userId });
      await AccountMails.deleteMany({ userId });
      await inbox.ledger.collection.deleteMany({ userId } as never);
      await deps.connection.collection('notification_inbox_heads').deleteOne({ _id: userId } as never);
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
