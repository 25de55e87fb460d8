/**
 * The payment-provider port. The built-in sandbox implements it; a real PSP adapter (Alipay, WeChat Pay,
 * a card acquirer) would too. Money is integer fen.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Opens a hosted payment page for one payment attempt. */
  createSession(input: {
    paymentId: string;
    amount: number;
    currency: 'CNY';
    description: string;
    /** Where the hosted page sends the shopper afterwards. */
    returnUrl: string;
  }): Promise<{ providerRef: string; redirectUrl: string }>;
  /**
   * Closes an unpaid session so it can never be paid (before opening another for the same payment).
   * False when the shopper already completed it.
   */
  cancelSession(providerRef: string): Promise<boolean>;
  /**
   * The shop stopped waiting for this session (its order was not paid in time). The provider closes it,
   * except that a shopper already on its page may still finish paying, as with a real PSP, which cannot
   * take back a page in use; such a payment arrives by webhook like any other and the shop refunds it.
   */
  expireSession(providerRef: string): Promise<void>;
  /** Refunds part or all of a captured payment; the outcome arrives by webhook. Idempotent per `refundId`. */
  refund(input: { refundId: string; providerRef: string; amount: number; reason: string }): Promise<void>;
  /**
   * Checks a webhook's signature and freshness and parses it. Rejects with `WebhookRejectedError` for a
   * forged signature, a stale timestamp or a malformed body.
   */
  parseWebhook(
    rawBody: string,
    headers: Record<string, string | undefined>,
    now: Date,
  ): Promise<PaymentWebhookEvent>;
}

export const PAYMENT_WEBHOOK_TYPES = [
  'payment.succeeded',
  'payment.failed',
  'refund.succeeded',
  'refund.failed',
] as const;
export type PaymentWebhookType = (typeof PAYMENT_WEBHOOK_TYPES)[number];

/**
 * One provider event, as the provider states it. The shop checks it against its own records before
 * acting on it: a signature proves who sent it, not that it matches the payment.
 */
export interface PaymentWebhookEvent {
  /** The provider's event id: the same across redeliveries of one event. */
  id: string;
  type: PaymentWebhookType;
  paymentId: string;
  /** The provider's session (payment attempt) the event is about. */
  providerRef: string;
  refundId: string | null;
  /** Integer minor units (fen) of `currency`. */
  amount: number;
  /** ISO 4217, as the provider states it (e.g. `CNY`). */
  currency: string;
  method: string | null;
  /** Why a payment failed, as the provider words it (e.g. "Card declined by the issuer"). */
  failureReason: string | null;
  /** What makes this delivery unique (its signature): a second delivery with it is a replay. */
  deliveryFingerprint: string;
}
