import type { OrderStatus } from './api/commerce-types';

export type StatusTone = 'waiting' | 'active' | 'done' | 'closed';

/** How a status looks: waiting for the shopper, moving along, finished well, or ended without delivery. */
export const STATUS_TONE: Record<OrderStatus, StatusTone> = {
  pending_payment: 'waiting',
  paid: 'active',
  accepted: 'active',
  shipped: 'active',
  delivered: 'done',
  completed: 'done',
  cancelled: 'closed',
  refunded: 'closed',
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
