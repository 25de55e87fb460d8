/**
 * The payout-provider port: how the marketplace pays sellers (a bank's corporate transfer API, Alipay's
 * 转账到支付宝账户, …). The built-in sandbox implements it; a real adapter would too. Money is integer fen.
 *
 * Contract:
 * - `bindAccount` turns the account details a seller typed into the provider's token (the marketplace
 *   keeps only the token and a masked number) or refuses them;
 * - `send` starts one transfer and returns at once; it is idempotent per `payoutId` (sending the same
 *   payout again, after a crash say, never starts a second transfer) and its outcome arrives later by
 *   webhook: `payout.paid` or `payout.failed`;
 * - `parseWebhook` checks a webhook's signature and freshness and parses it, or rejects it with
 *   `WebhookRejectedError`. Events carry an id that is the same across redeliveries.
 */
export interface PayoutProvider {
  readonly name: string;
  bindAccount(input: PayoutAccountInput): Promise<{ token: string }>;
  send(input: {
    payoutId: string;
    amount: number;
    currency: 'CNY';
    accountToken: string;
    description: string;
  }): Promise<{ providerRef: string }>;
  parseWebhook(
    rawBody: string,
    headers: Record<string, string | undefined>,
    now: Date,
  ): Promise<PayoutWebhookEvent>;
}

export const PAYOUT_ACCOUNT_TYPES = ['bank_card', 'alipay'] as const;
export type PayoutAccountType = (typeof PAYOUT_ACCOUNT_TYPES)[number];

export interface PayoutAccountInput {
  type: PayoutAccountType;
  /** The account holder's name as the bank or Alipay has it. */
  holder: string;
  /** Card number (digits) or Alipay account (email or mainland mobile number). */
  number: string;
}

export const PAYOUT_WEBHOOK_TYPES = ['payout.paid', 'payout.failed'] as const;
export type PayoutWebhookType = (typeof PAYOUT_WEBHOOK_TYPES)[number];

export interface PayoutWebhookEvent {
  id: string;
  type: PayoutWebhookType;
  payoutId: string;
  providerRef: string;
  amount: number;
  currency: string;
  failureReason: string | null;
  deliveryFingerprint: string;
}
