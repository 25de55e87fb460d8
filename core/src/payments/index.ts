export {
  PAYMENT_WEBHOOK_TYPES,
  type PaymentProvider,
  type PaymentWebhookEvent,
  type PaymentWebhookType,
} from './port';
export { PaymentMismatchError } from './errors';
export {
  signWebhook,
  verifyWebhook,
  WebhookRejectedError,
  SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
} from './signing';
export {
  createSandboxProvider,
  SANDBOX_WEBHOOK_JOB,
  SANDBOX_METHODS,
  DECLINED_CARD,
  SANDBOX_LAPSE_GRACE_MS,
  type SandboxPsp,
  type SandboxSession,
  type SandboxMethod,
} from './sandbox';
export {
  createPaymentService,
  type PaymentService,
  type PaymentDoc,
  type PaymentOutcomes,
  type RefundDoc,
  type PaymentStatus,
  type WebhookReceipt,
} from './service';
