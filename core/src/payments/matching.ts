import type { FieldIssue } from '../errors';
import type { PaymentWebhookEvent } from './port';

/** What the shop recorded, against which an event is checked. */
interface RecordedPayment {
  amount: number;
  currency: string;
  providerRef: string;
}
interface RecordedRefund {
  paymentId: string;
  amount: number;
}

const field = (name: string, message: string): FieldIssue => ({ field: `body.data.${name}`, message });

/**
 * Where a payment event differs from the payment (and, for a refund event, the refund) it names; empty
 * when it matches. A `payment.succeeded` must state exactly the payment's amount and currency and its
 * current provider session (an older session was closed before a new one opened, so it cannot be paid).
 * A refund event must name a refund the shop asked for on this payment, for exactly its amount.
 * `payment.failed` is not checked: it only ever marks the current attempt failed, and one about an
 * earlier session changes nothing.
 */
export function mismatchesOf(
  event: PaymentWebhookEvent,
  payment: RecordedPayment,
  refund: RecordedRefund | null,
): FieldIssue[] {
  if (event.type === 'payment.failed') return [];
  const issues: FieldIssue[] = [];
  if (event.currency !== payment.currency)
    issues.push(field('currency', `is ${event.currency}; the payment is in ${payment.currency}`));
  if (event.providerRef !== payment.providerRef)
    issues.push(
      field('providerRef', `is ${event.providerRef}; the payment's session is ${payment.providerRef}`),
    );
  if (event.type === 'payment.succeeded') {
    if (event.amount !== payment.amount)
      issues.push(field('amount', `is ${event.amount} fen; the payment is ${payment.amount} fen`));
    return issues;
  }
  if (!event.refundId || !refund) {
    issues.push(field('refundId', `${event.refundId ?? '(none)'} is not a refund of this payment`));
  } else if (refund.paymentId !== event.paymentId) {
    issues.push(field('refundId', `${event.refundId} is a refund of another payment`));
  } else if (event.amount !== refund.amount) {
    issues.push(field('amount', `is ${event.amount} fen; the refund is ${refund.amount} fen`));
  }
  return issues;
}
