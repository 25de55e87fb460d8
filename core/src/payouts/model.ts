import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { PayoutAccountType } from './port';

export const PAYOUT_STATUSES = ['created', 'sent', 'paid', 'failed', 'refused'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * A payout: `_id` is deterministic (`po_<seller>_<isoWeek>` for the weekly run, `po_<seller>_req_<key
 * hash>` for a seller's request, `<payout>_retry` for an admin's retry), so running a batch again after a
 * crash finds the payouts it made and pays nobody twice. The money moves in the seller's settlement
 * stream (`payout:<id>`, `payout_paid:<id>`, `payout_failed:<id>`); `status` is this document's copy,
 * moved forward only.
 */
export interface PayoutDoc {
  _id: string;
  sellerId: string;
  amount: number;
  kind: 'scheduled' | 'requested' | 'retry';
  status: PayoutStatus;
  accountMasked: string;
  accountToken: string;
  providerRef: string | null;
  failureReason: string | null;
  retryOf: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PayoutAccountDoc {
  _id: string;
  type: PayoutAccountType;
  holder: string;
  masked: string;
  token: string;
  updatedAt: Date;
}

export function payoutModels(connection: Connection) {
  const payout = new Schema<PayoutDoc>(
    {
      _id: String,
      sellerId: { type: String, required: true },
      amount: { type: Number, required: true },
      kind: { type: String, required: true },
      status: { type: String, required: true },
      accountMasked: String,
      accountToken: String,
      providerRef: { type: String, default: null },
      failureReason: { type: String, default: null },
      retryOf: { type: String, default: null },
      createdAt: Date,
      updatedAt: Date,
    },
    { versionKey: false },
  );
  const account = new Schema<PayoutAccountDoc>(
    { _id: String, type: String, holder: String, masked: String, token: String, updatedAt: Date },
    { versionKey: false },
  );
  const event = new Schema<{ _id: string; state: string; at: Date }>(
    { _id: String, state: String, at: Date },
    { versionKey: false },
  );
  return {
    Payouts: modelOn<PayoutDoc>(connection, 'Payout', payout, 'payouts'),
    Accounts: modelOn<PayoutAccountDoc>(connection, 'PayoutAccount', account, 'payout_accounts'),
    Events: modelOn(connection, 'PayoutEvent', event, 'payout_events'),
  };
}
