import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';

export interface CheckoutDoc {
  _id: string;
  userId: string;
  orderIds: string[];
  paymentId: string;
  couponId: string | null;
  points: number;
  total: number;
  /** The plan (orders as created), JSON: a resumed checkout continues with it, not with today's cart. */
  plan: string;
  expiresAt: Date;
  createdAt: Date;
}

const checkoutSchema = new Schema<CheckoutDoc>(
  {
    _id: String,
    userId: { type: String, required: true },
    orderIds: [String],
    paymentId: { type: String, required: true },
    couponId: { type: String, default: null },
    points: { type: Number, required: true },
    total: { type: Number, required: true },
    plan: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * The checkout's collections. `checkouts` holds each checkout and its plan. `checkout_closures` marks a
 * checkout closed once its expiry has run (`_id` = checkout id, a unique insert): a resumed checkout (a
 * retry after a crash) checks it before and after taking stock, and expiry claims it before cancelling,
 * so whichever comes second sees the other and nothing stays reserved. `open_checkouts` lists checkouts
 * not yet paid or expired with their deadline: the expiry job reads this small collection rather than
 * one delayed job per checkout, which would make every job poll on FerretDB scan thousands of
 * not-yet-due jobs; paying or expiring a checkout removes it.
 */
export function checkoutModels(connection: Connection) {
  const marker = <T extends object>(fields: Record<string, unknown>) =>
    new Schema<T & { _id: string }>({ _id: String, ...fields }, { versionKey: false });
  return {
    Checkouts: modelOn<CheckoutDoc>(connection, 'Checkout', checkoutSchema, 'checkouts'),
    Closures: modelOn(connection, 'CheckoutClosure', marker<{ at: Date }>({ at: Date }), 'checkout_closures'),
    OpenCheckouts: modelOn(
      connection,
      'OpenCheckout',
      marker<{ expiresAt: Date }>({ expiresAt: Date }),
      'open_checkouts',
    ),
  };
}

export type CheckoutModels = ReturnType<typeof checkoutModels>;
