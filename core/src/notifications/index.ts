export {
  createNotificationService,
  messageIdFor,
  notificationIdFor,
  ACCOUNT_MAIL_JOB,
  NOTIFICATION_DELIVER_JOB,
  NOTIFICATION_SEND_JOB,
  type NotificationService,
  type DeliverPayload,
} from './service';
export { createNotificationDelivery, type ParamsEnricher } from './delivery';
export { startNotificationSubscriptions, orderParamsEnricher } from './subscriptions';
export { renderNotification, renderAccountMail } from './templates';
export {
  ACCOUNT_MAIL_TYPES,
  CHANNELS,
  NOTIFICATION_TYPES,
  type AccountMailType,
  type Channel,
  type Notification,
  type NotificationPage,
  type NotificationPreferences,
  type NotificationType,
  type SwitchableChannel,
} from './types';
