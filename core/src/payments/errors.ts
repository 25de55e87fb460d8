import { AppError, type FieldIssue } from '../errors';

/**
 * A correctly signed payment event that does not match the payment it names (amount, currency, provider
 * session, or refund). Nothing is changed: a signature proves who sent an event, not that the shop asked
 * for it. `fields` name each difference; `paymentId` and `eventId` say which.
 */
export class PaymentMismatchError extends AppError {
  readonly code = 'payment_mismatch';
  readonly status = 422;
  constructor(message: string, fields: FieldIssue[], ids: { paymentId: string; eventId: string }) {
    super(message, { fields, ...ids });
  }
}
