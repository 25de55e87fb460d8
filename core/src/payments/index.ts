export type { PaymentProvider, PaymentWebhookEvent, PaymentWebhookType } from './port';
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
  type SandboxPsp,
  type SandboxSession,
  type SandboxMethod,
} from './sandbox';
export {
  createPaymentService,
  type PaymentService,
  type PaymentDoc,
  type RefundDoc,
  type PaymentStatus,
} from './service';
