export {
  createPayoutService,
  PAYOUTS_RUN_JOB,
  PAYOUTS_RESUME_JOB,
  MIN_REQUESTED_PAYOUT_FEN,
  type Payout,
  type PayoutService,
} from './service';
export {
  createSandboxPayoutProvider,
  FAILING_PAYOUT_CARD,
  SANDBOX_BANK_JOB,
  SANDBOX_PAYOUT_WEBHOOK_JOB,
  type SandboxPayouts,
} from './sandbox';
export {
  PAYOUT_ACCOUNT_TYPES,
  type PayoutAccountInput,
  type PayoutAccountType,
  type PayoutProvider,
  type PayoutWebhookEvent,
} from './port';
export { PAYOUT_STATUSES, type PayoutStatus } from './model';
export { checkPayoutAccount } from './accounts';
export const PAYOUT_WEBHOOK_SECRET_NAME = 'payout-webhook';
