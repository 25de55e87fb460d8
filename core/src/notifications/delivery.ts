import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import type { JobHandler, JobQueue } from '../jobs';
import type { MailTransport } from '../mail';
import type { SmsProvider } from '../sms';
import type { UserService } from '../users';
import { notificationModels, type NotificationDoc } from './model';
import {
  ACCOUNT_MAIL_JOB,
  messageIdFor,
  NOTIFICATION_DELIVER_JOB,
  NOTIFICATION_SEND_JOB,
  notificationIdFor,
  type DeliverPayload,
  type NotificationService,
  type SendPayload,
} from './service';
import { renderAccountMail, renderNotification } from './templates';
import type { NotificationParams, NotificationType, SwitchableChannel } from './types';

/** Fills in the display fields a template needs (an order's number and first item) from their ids. */
export type ParamsEnricher = (
  type: NotificationType,
  params: NotificationParams,
) => Promise<NotificationParams>;

/** Addresses that are not a person's (an erased account's placeholder) get no mail. */
const UNDELIVERABLE = /@closed\.invalid$/;

/**
 * The delivery jobs. A notification moves in steps, each idempotent so the queue may retry it:
 * 1. `notifications.deliver` (one per notification, by dedupe key): inbox position (exactly once,
 *    `appendOnce`), the notification document (unique `_id`), the live `notification.created` event,
 *    then one send job per channel the person wants.
 * 2. `notifications.send` (one per notification and channel): skipped if `sent:<id>:<channel>` exists;
 *    otherwise sent, then recorded. A crash after the provider accepted and before the record is
 *    written sends again on retry: at-least-once, with the same Message-ID / provider key each time so
 *    the receiver can drop the copy (SMTP has no stronger guarantee to offer).
 */
export function createNotificationDelivery(deps: {
  connection: Connection;
  bus: EventBus;
  queue: JobQueue;
  users: UserService;
  notifications: NotificationService;
  mail: () => MailTransport;
  sms: SmsProvider;
  enrich: ParamsEnricher;
  baseUrl: () => string;
  clock: Clock;
}) {
  const { Notifications, SendRecords, AccountMails } = notificationModels(deps.connection);
  const { inbox } = deps.notifications;

  async function record(id: string, channel: 'email' | 'sms', providerRef: string): Promise<void> {
    try {
      await SendRecords.create({ _id: `sent:${id}:${channel}`, channel, providerRef, at: deps.clock() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  const wasSent = async (id: string, channel: string) =>
    !!(await SendRecords.exists({ _id: `sent:${id}:${channel}` }));

  const deliver: JobHandler<DeliverPayload> = async (payload) => {
    const user = await deps.users.getUser(payload.userId);
    if (!user) return { skipped: 'no active account' };
    const id = notificationIdFor(payload.type, payload.sourceId, payload.userId);
    let doc = await Notifications.findById(id).lean<NotificationDoc>();
    if (!doc) {
      const params = await deps.enrich(payload.type, payload.params);
      const rendered = renderNotification(payload.type, params, user.locale, deps.baseUrl());
      const { position } = await inbox.add(user.id, id);
      const fresh: NotificationDoc = {
        _id: id,
        userId: user.id,
        type: payload.type,
        sourceId: payload.sourceId,
        params,
        locale: user.locale,
        title: rendered.title,
        body: rendered.body,
        link: rendered.link,
        position,
        readAt: null,
        createdAt: deps.clock(),
      };
      try {
        await Notifications.create(fresh);
        doc = fresh;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        doc = (await Notifications.findById(id).lean<NotificationDoc>())!;
      }
    }
    await deps.bus.publish('notification.created', {
      userId: user.id,
      notificationId: id,
      type: doc.type,
      title: doc.title,
      body: doc.body,
      link: doc.link,
      unread: await deps.notifications.unreadCount(user.id),
      at: doc.createdAt.toISOString(),
    });
    const wanted = (await deps.notifications.preferences(user.id))[payload.type];
    const channels: SwitchableChannel[] = [];
    if (wanted.email && !UNDELIVERABLE.test(user.email)) channels.push('email');
    if (wanted.sms && user.phone) channels.push('sms');
    for (const channel of channels)
      await deps.queue.enqueue<SendPayload>(
        NOTIFICATION_SEND_JOB,
        { notificationId: id, channel },
        { dedupeKey: `${id}:${channel}`, maxAttempts: 8 },
      );
    return { notificationId: id, channels };
  };

  const send: JobHandler<SendPayload> = async ({ notificationId, channel }) => {
    if (await wasSent(notificationId, channel)) return { already: true };
    const doc = await Notifications.findById(notificationId).lean<NotificationDoc>();
    if (!doc) return { skipped: 'notification erased' };
    const user = await deps.users.getUser(doc.userId);
    if (!user) return { skipped: 'no active account' };
    const rendered = renderNotification(doc.type, doc.params, doc.locale, deps.baseUrl());
    if (channel === 'email') {
      const result = await deps.mail().send({
        to: user.email,
        ...rendered.email,
        messageId: messageIdFor(notificationId, 'email'),
      });
      await record(notificationId, channel, result.response.slice(0, 200));
    } else {
      if (!user.phone) return { skipped: 'no phone' };
      const result = await deps.sms.send({
        to: user.phone,
        text: rendered.sms,
        key: `${notificationId}:sms`,
      });
      await record(notificationId, channel, result.id);
    }
    return { sent: channel };
  };

  const accountMail: JobHandler<{ mailId: string }> = async ({ mailId }) => {
    const mail = await AccountMails.findById(mailId).lean();
    if (!mail) return { already: true };
    if (!(await wasSent(mailId, 'email'))) {
      const rendered = renderAccountMail(mail.type, mail.params, mail.locale);
      const result = await deps
        .mail()
        .send({ to: mail.to, ...rendered, messageId: messageIdFor(mailId, 'email') });
      await record(mailId, 'email', result.response.slice(0, 200));
    }
    // The link's token goes with the outbox document.
    await AccountMails.deleteOne({ _id: mailId });
    return { sent: 'email' };
  };

  return {
    jobHandlers: {
      [NOTIFICATION_DELIVER_JOB]: deliver,
      [NOTIFICATION_SEND_JOB]: send,
      [ACCOUNT_MAIL_JOB]: accountMail,
    } as Record<string, JobHandler>,
  };
}
