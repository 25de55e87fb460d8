import type { OrderStatus } from './api/wire';

/**
 * Who is looking at an order: the shopper who bought it, or staff working on it (its seller, support).
 * The same order reads differently to each: a paid order is progressing for the shopper but waits on the
 * seller, and the shopper is "you" where staff see "buyer".
 */
export type OrderAudience = 'shopper' | 'staff';

export type StatusTone = 'waiting' | 'active' | 'done' | 'closed';

/** How a status looks: waiting on someone, moving along, finished well, or ended without delivery. */
export const STATUS_TONE: Record<OrderAudience, Record<OrderStatus, StatusTone>> = {
  shopper: {
    pending_payment: 'waiting',
    paid: 'active',
    accepted: 'active',
    shipped: 'active',
    delivered: 'done',
    completed: 'done',
    cancelled: 'closed',
    refunded: 'closed',
  },
  staff: {
    pending_payment: 'waiting',
    paid: 'waiting',
    accepted: 'active',
    shipped: 'active',
    delivered: 'done',
    completed: 'done',
    cancelled: 'closed',
    refunded: 'closed',
  },
};

/** The way an order normally goes, for the progress strip on the order page. */
export const ORDER_FLOW: readonly OrderStatus[] = [
  'pending_payment',
  'paid',
  'accepted',
  'shipped',
  'delivered',
  'completed',
];
