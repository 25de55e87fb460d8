/**
 * The kinds of entry in a seller's settlement stream. Each moves money between the seller's buckets:
 * `pending` (earned, the order's after-sales window still open), `available` (may be paid out; may go
 * negative when a refund comes after release, and is then recovered from later credits before any
 * payout), `inFlight` (sent to the payout provider, not yet confirmed) and `paidOut` (confirmed, total).
 */
export const SETTLEMENT_ENTRY_KINDS = [
  'order_credit',
  'refund_debit',
  'release',
  'payout_debit',
  'payout_paid',
  'payout_reversal',
] as const;
export type SettlementEntryKind = (typeof SETTLEMENT_ENTRY_KINDS)[number];

/** A seller's buckets; `balance` = pending + available + inFlight (what the platform still owes). */
export interface SellerBalance {
  pending: number;
  available: number;
  inFlight: number;
  paidOut: number;
  balance: number;
}

export interface SettlementEntry extends SellerBalance {
  id: string;
  sellerId: string;
  version: number;
  kind: SettlementEntryKind;
  /** The change to the balance (credits +, refund debits −; moves between buckets 0, payouts confirmed −). */
  amount: number;
  /** How much the entry moved into (+) or out of (−) available. */
  availableDelta: number;
  orderId: string | null;
  orderNumber: string | null;
  payoutId: string | null;
  /** The market day the entry counts for (of the order event or payout that caused it). */
  day: string;
  note: string;
  at: Date;
}
