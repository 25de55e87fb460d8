import type { AfterSalesRole, AfterSalesStatus } from './types';

/**
 * The after-sales state machine: for each status, the statuses it may move to and who may move it there
 * (like `core/src/orders/state.ts`). Anything not listed is refused.
 *
 * requested ─seller/system approves─▶ awaiting_return (a return) or refunding (a refund only)
 *           └seller rejects─▶ rejected ─buyer escalates─▶ escalated ─support─▶ awaiting_return | refunding | closed
 * awaiting_return ─buyer ships (or their booked courier picks up)─▶ return_shipped ─seller confirms receipt─▶ refunding ─system─▶ refunded
 * The buyer may withdraw before money or goods move; the system closes a return not shipped in time.
 */
export const AFTERSALES_TRANSITIONS: Record<
  AfterSalesStatus,
  Partial<Record<AfterSalesStatus, readonly AfterSalesRole[]>>
> = {
  // `system`: a seller silent past the deadline approves by default.
  requested: {
    awaiting_return: ['seller', 'system'],
    refunding: ['seller', 'system'],
    rejected: ['seller'],
    withdrawn: ['buyer'],
  },
  // `system`: the booked courier picked the parcel up; or the buyer did not ship the return in time.
  awaiting_return: { return_shipped: ['buyer', 'system'], withdrawn: ['buyer'], closed: ['system'] },
  return_shipped: { refunding: ['seller'] },
  refunding: { refunded: ['system'] },
  rejected: { escalated: ['buyer'], withdrawn: ['buyer'] },
  escalated: {
    awaiting_return: ['support'],
    refunding: ['support'],
    closed: ['support'],
    withdrawn: ['buyer'],
  },
  refunded: {},
  closed: {},
  withdrawn: {},
};

/** Statuses in which a request holds nothing any more: its line may get a new request. */
export const AFTERSALES_FINAL: ReadonlySet<AfterSalesStatus> = new Set(['refunded', 'closed', 'withdrawn']);

export function afterSalesRoles(from: AfterSalesStatus, to: AfterSalesStatus): readonly AfterSalesRole[] {
  return AFTERSALES_TRANSITIONS[from][to] ?? [];
}

/** The moves `role` may make from `status` (for the UI's buttons). */
export function afterSalesMoves(status: AfterSalesStatus, role: AfterSalesRole): AfterSalesStatus[] {
  return (Object.entries(AFTERSALES_TRANSITIONS[status]) as [AfterSalesStatus, readonly AfterSalesRole[]][])
    .filter(([, roles]) => roles.includes(role))
    .map(([to]) => to);
}
