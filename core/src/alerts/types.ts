/** What an alert is about: a delivery going wrong, or a payment event that does not match its payment. */
export const OPS_ALERT_KINDS = [
  'delivery_late',
  'courier_silent',
  'delivery_failed',
  'payment_mismatch',
  'reconciliation_failed',
  'payout_failed',
] as const;
export type OpsAlertKind = (typeof OPS_ALERT_KINDS)[number];
export type DeliveryAlertKind = Exclude<
  OpsAlertKind,
  'payment_mismatch' | 'reconciliation_failed' | 'payout_failed'
>;

/** What a domain raises; each kind names the entity support should open. */
export type OpsAlertInput =
  | {
      kind: DeliveryAlertKind;
      deliveryId: string;
      orderId: string;
      courierId: string | null;
      message: string;
    }
  | {
      kind: 'payment_mismatch';
      paymentId: string;
      /** The payment's first order, where support starts looking. */
      orderId: string | null;
      message: string;
    }
  | {
      /** A day's settlement does not balance (admin finance); `orderId`: the first order that differs. */
      kind: 'reconciliation_failed' | 'payout_failed';
      orderId: string | null;
      message: string;
    };

/** An alert as support reads it; the ids that do not apply to its kind are null. */
export interface OpsAlert {
  id: string;
  kind: OpsAlertKind;
  deliveryId: string | null;
  orderId: string | null;
  courierId: string | null;
  paymentId: string | null;
  message: string;
  at: Date;
}
