import { Schema, type Connection } from 'mongoose';
import type { Clock } from '../clock';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type { GroupDeal, GroupSeat } from './types';

export interface GroupDealDoc extends Omit<GroupDeal, 'id'> {
  _id: string;
}

/** A group, written once when its first buyer checks out; its seats live in the seat ledger. */
export interface GroupDoc {
  _id: string;
  dealId: string;
  sku: string;
  productId: string;
  sellerId: string;
  groupPrice: number;
  normalPrice: number;
  groupSize: number;
  leaderId: string;
  createdAt: Date;
  deadline: Date;
}

/**
 * A group's seats after each change: `_id` = `<groupId>:<version>`. Taking a seat, paying for it and
 * releasing it each append an entry decided from the head, so the seat count is checked against the
 * group's size on a unique-key insert (ledger.ts): two buyers racing for the last seat, on one process or
 * two, compute the same next version and only one insert lands. A seat therefore can be freed again
 * (a payment window passed) without a delete, which on FerretDB 1.24 is not atomic with its filter.
 */
export interface GroupSeatEntry extends LedgerEntry {
  groupId: string;
  seats: GroupSeat[];
}

/** How a group ended, decided once by a unique insert (`_id` = group id): the first to claim it wins. */
export interface GroupOutcomeDoc {
  _id: string;
  outcome: 'complete' | 'expired';
  at: Date;
}

/**
 * Groups not yet ended, with their deal and deadline: the sweep and the product page read this small
 * collection (as checkout expiry reads `open_checkouts`), never every group a deal ever had.
 */
export interface OpenGroupDoc {
  _id: string;
  dealId: string;
  deadline: Date;
}

const dealSchema = new Schema<GroupDealDoc>(
  {
    _id: { type: String, required: true },
    sku: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    groupPrice: { type: Number, required: true },
    normalPrice: { type: Number, required: true },
    groupSize: { type: Number, required: true },
    timeLimitMs: { type: Number, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['open', 'ended'] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    dealId: { type: String, required: true },
    sku: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    groupPrice: { type: Number, required: true },
    normalPrice: { type: Number, required: true },
    groupSize: { type: Number, required: true },
    leaderId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
  },
  { versionKey: false },
);
groupSchema.index({ dealId: 1 });

export function groupBuyingModels(connection: Connection, clock?: Clock) {
  const marker = <T extends object>(fields: Record<string, unknown>) =>
    new Schema<T & { _id: string }>({ _id: String, ...fields }, { versionKey: false });
  return {
    Deals: modelOn<GroupDealDoc>(connection, 'GroupDeal', dealSchema, 'group_deals'),
    Groups: modelOn<GroupDoc>(connection, 'GroupBuy', groupSchema, 'group_buys'),
    Outcomes: modelOn(
      connection,
      'GroupOutcome',
      marker<Omit<GroupOutcomeDoc, '_id'>>({ outcome: String, at: Date }),
      'group_outcomes',
    ),
    OpenGroups: modelOn(
      connection,
      'OpenGroup',
      marker<Omit<OpenGroupDoc, '_id'>>({ dealId: String, deadline: Date }),
      'open_groups',
    ),
    seats: createLedger<GroupSeatEntry>({
      connection,
      collection: 'group_seats',
      heads: 'group_seat_heads',
      keyField: 'groupId',
      clock,
    }),
  };
}
