import type { OrderActorRole, OrderStatus } from './types';

/**
 * The order state machine: for each status, the statuses it may move to and who may move it there.
 * Anything not listed is refused. Paid orders that are cancelled are refunded in full; `refunded` is the
 * end of a full refund after the seller accepted or shipped.
 */
export const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderStatus, readonly OrderActorRole[]>>> = {
  pending_payment: { paid: ['system'], cancelled: ['buyer', 'support', 'system'] },
  // `system` refunds: a group buy whose group expired (core/src/flows/group-members.ts).
  paid: { accepted: ['seller'], cancelled: ['buyer', 'seller', 'support'], refunded: ['support', 'system'] },
  // `system`: logistics ships it when the courier picks it up (or it reaches the pickup point).
  accepted: { shipped: ['seller', 'system'], cancelled: ['seller', 'support'], refunded: ['support'] },
  shipped: { delivered: ['seller', 'support', 'system'], refunded: ['support'] },
  // `system`: after-sales refunded every line (core/src/flows/aftersales.ts).
  delivered: { completed: ['buyer', 'system'], refunded: ['support', 'system'] },
  completed: { refunded: ['support', 'system'] },
  cancelled: {},
  refunded: {},
};

/** Statuses in which nothing more happens. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['cancelled', 'refunded']);

/** Statuses after payment and before shipping: stock is sold but still in the warehouse. */
export const UNSHIPPED_PAID: ReadonlySet<OrderStatus> = new Set(['paid', 'accepted']);

export function allowedRoles(from: OrderStatus, to: OrderStatus): readonly OrderActorRole[] {
  return TRANSITIONS[from][to] ?? [];
}

/** The moves `role` may make from `status` (for the UI's buttons). */
export function nextStatuses(status: OrderStatus, role: OrderActorRole): OrderStatus[] {
  return (Object.entries(TRANSITIONS[status]) as [OrderStatus, readonly OrderActorRole[]][])
    .filter(([, roles]) => roles.includes(role))
    .map(([to]) => to);
}
