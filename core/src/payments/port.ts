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
   * Closes an unpaid session so it can no longer be paid (before opening another for the same payment).
   * False when the shopper already completed it.
   */
  cancelSession(providerRef: string): Promise<boolean>;
  /** Refunds part or all of a captured payment; the outcome arrives by webhook. Idempotent per `refundId`. */
  refund(input: { refundId: string; providerRef: string; amount: number; reason: string }): Promise<void>;
  /**
   * Checks a webhook's signature and freshness and parses it. Throws `WebhookRejectedError` for a forged
   * signature, a stale timestamp or a malformed body.
   */
  parseWebhook(rawBody: string, headers: Record<string, string | undefined>, now: Date): PaymentWebhookEvent;
}

export type PaymentWebhookType =
  'payment.succeeded' | 'payment.failed' | 'refund.succeeded' | 'refund.failed';

export interface PaymentWebhookEvent {
  /** The provider's event id: the same across redeliveries of one event. */
  id: string;
  type: PaymentWebhookType;
  paymentId: string;
  providerRef: string;
  refundId: string | null;
  amount: number;
  method: string | null;
  /** Why a payment failed, as the provider words it (e.g. "Card declined by the issuer"). */
  failureReason: string | null;
  /** What makes this delivery unique (its signature): a second delivery with it is a replay. */
  deliveryFingerprint: string;
}
