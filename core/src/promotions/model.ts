import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type { CouponAudience, CouponFunding, CouponKind, RedeemFailure } from './types';
import { type Clock } from '../clock';

export interface CouponDoc {
  _id: string;
  code: string;
  kind: CouponKind;
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  perUserLimit: number | null;
  funding: CouponFunding;
  sellerId: string | null;
  active: boolean;
  description: string;
  /** Absent on coupons made before audiences existed: everyone. */
  audience?: CouponAudience | null;
  /** A coupon given to one account (a referral's welcome coupon): only they see and use it. */
  forUserId?: string | null;
  createdAt: Date;
}

const couponSchema = new Schema<CouponDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    kind: { type: String, required: true, enum: ['percent', 'fixed'] },
    value: { type: Number, required: true },
    maxDiscount: { type: Number, default: null },
    minSpend: { type: Number, default: 0 },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    usageLimit: { type: Number, default: null },
    perUserLimit: { type: Number, default: null },
    funding: { type: String, required: true, enum: ['platform', 'seller'] },
    sellerId: { type: String, default: null },
    active: { type: Boolean, default: true },
    description: { type: String, default: '' },
    audience: { type: new Schema({ segment: String }, { _id: false }), default: null },
    forUserId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  // `active` and `audience` are the only fields that change after creation, by the coupon's owner or an
  // admin: plain writes (no counter or invariant rests on them).
  { versionKey: false, autoIndex: false },
);

export function couponModel(connection: Connection) {
  return modelOn<CouponDoc>(connection, 'Coupon', couponSchema, 'coupons');
}

/**
 * `_id` = the upper-case code: inserting it claims the code (unique on MongoDB and FerretDB alike). It
 * carries the coupon, so a creation that died between the claim and the coupon insert can be completed.
 */
export interface CouponCodeDoc {
  _id: string;
  couponId: string;
  coupon: CouponDoc;
  at: Date;
}

export function couponCodes(connection: Connection) {
  return connection.collection<CouponCodeDoc>('coupon_codes');
}

/**
 * One slot a redemption can hold: global slot `n` of a coupon (`<couponId>:g:<n>`) or a shopper's
 * slot `n` (`<couponId>:u:<userId>:<n>`). Each slot is a ledger stream, so taking it (holder null →
 * token) and freeing it (token → null) are both unique-key inserts: a slot can never have two holders,
 * and a late or repeated free can never free someone else's claim (no conditional update or delete,
 * which FerretDB 1.24 applies by read-modify-write).
 */
export interface SlotEntryDoc extends LedgerEntry {
  slotKey: string;
  couponId: string;
  kind: 'g' | 'u';
  n: number;
  userId: string | null;
  /** The redemption attempt holding the slot (`<redemptionKey>@<version>`), or null when free. */
  holder: string | null;
}

export function slotLedger(connection: Connection, clock?: Clock) {
  return createLedger<SlotEntryDoc>({
    connection,
    collection: 'coupon_slots',
    heads: 'coupon_slot_heads',
    keyField: 'slotKey',
    clock,
  });
}

export type RedemptionPhase = 'claim' | 'held' | 'failed' | 'released';

/**
 * The state machine of one redemption (`<couponId>:r:<redemptionId>`), one ledger entry per step.
 * Every caller of `redeem`/`release` with that redemption id reads the head and helps it forward by
 * appending the next step, so duplicates agree on one outcome and a caller that died half-way is
 * finished by the next one. See redemptions.ts.
 */
export interface RedemptionStepDoc extends LedgerEntry {
  redemptionKey: string;
  couponId: string;
  redemptionId: string;
  userId: string;
  phase: RedemptionPhase;
  /**
   * The shopper's slot targeted (phase `claim`) or held (`held`), and the token it is held under;
   * null when the coupon has no per-user limit.
   */
  userSlot: number | null;
  userToken: string | null;
  /** The same for the global slot; null when the coupon has no usage limit. */
  globalSlot: number | null;
  globalToken: string | null;
  /** `seq`: probing up from the coupon's cursor; `scan`: walking the free slots a scan found. */
  globalPass: 'seq' | 'scan' | null;
  globalProbes: number;
  reason: RedeemFailure | null;
}

export function redemptionLedger(connection: Connection, clock?: Clock) {
  return createLedger<RedemptionStepDoc>({
    connection,
    collection: 'coupon_redemption_steps',
    heads: 'coupon_redemption_heads',
    keyField: 'redemptionKey',
    clock,
  });
}

/**
 * One document per redemption that reached `held` (and is not released), `_id` = redemption key:
 * what counts and per-shopper tallies read (a scan, off the checkout path).
 */
export interface RedeemedDoc {
  _id: string;
  couponId: string;
  userId: string;
  redemptionId: string;
  at: Date;
}

export function redeemedMarkers(connection: Connection) {
  return connection.collection<RedeemedDoc>('coupon_redemptions');
}

/** Where to start probing for a free global slot (a hint: plain writes, may lag; never trusted for limits). */
export interface SlotCursorDoc {
  _id: string;
  next: number;
}

export function slotCursors(connection: Connection) {
  return connection.collection<SlotCursorDoc>('coupon_slot_cursors');
}
