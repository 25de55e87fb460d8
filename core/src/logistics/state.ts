import type { DeliveryActorRole, DeliveryEventKind, DeliveryStatus } from './types';

/** Statuses after which nothing more happens to a delivery. */
export const FINAL_DELIVERY_STATUSES: ReadonlySet<DeliveryStatus> = new Set([
  'delivered',
  'returned',
  'cancelled',
]);

/** A courier holds the parcel, or is on the way to collect it: position, ETA and lateness matter. */
export const CARRYING: ReadonlySet<DeliveryStatus> = new Set([
  'accepted',
  'picked_up',
  'in_transit',
  'failed_attempt',
]);

const NON_FINAL = [
  'awaiting_courier',
  'assigned',
  'accepted',
  'picked_up',
  'in_transit',
  'failed_attempt',
  'ready_for_pickup',
] as const satisfies readonly DeliveryStatus[];

interface Rule {
  from: readonly DeliveryStatus[];
  roles: readonly DeliveryActorRole[];
}

/**
 * The delivery state machine: for each event, the statuses it may happen in and who may make it happen.
 * Anything not listed is refused. `late` keeps the status (it sets the flag); every other event moves
 * to `TARGET[event]`.
 */
const RULES: Record<Exclude<DeliveryEventKind, 'created'>, readonly Rule[]> = {
  offered: [{ from: ['awaiting_courier'], roles: ['system', 'support'] }],
  declined: [{ from: ['assigned'], roles: ['courier'] }],
  offer_expired: [{ from: ['assigned'], roles: ['system'] }],
  accepted: [{ from: ['assigned'], roles: ['courier'] }],
  reassigned: [{ from: ['assigned', 'accepted'], roles: ['support'] }],
  picked_up: [{ from: ['accepted'], roles: ['courier'] }],
  in_transit: [{ from: ['picked_up', 'failed_attempt'], roles: ['courier'] }],
  failed_attempt: [{ from: ['picked_up', 'in_transit'], roles: ['courier'] }],
  delivered: [
    { from: ['picked_up', 'in_transit'], roles: ['courier'] },
    // Self-pickup: the pickup point's staff (the seller's or support) check the shopper's code.
    { from: ['ready_for_pickup'], roles: ['seller', 'support'] },
    // The order was marked delivered by hand (seller or support on the order page).
    { from: NON_FINAL, roles: ['system'] },
  ],
  returned: [{ from: ['picked_up', 'in_transit', 'failed_attempt'], roles: ['courier', 'support'] }],
  cancelled: [
    {
      from: ['awaiting_courier', 'assigned', 'accepted', 'ready_for_pickup', 'failed_attempt'],
      roles: ['support'],
    },
    // The order was cancelled or refunded.
    { from: NON_FINAL, roles: ['system'] },
  ],
  late: [{ from: ['accepted', 'picked_up', 'in_transit', 'failed_attempt'], roles: ['system'] }],
};

const TARGET: Record<Exclude<DeliveryEventKind, 'created' | 'late'>, DeliveryStatus> = {
  offered: 'assigned',
  declined: 'awaiting_courier',
  offer_expired: 'awaiting_courier',
  accepted: 'accepted',
  reassigned: 'awaiting_courier',
  picked_up: 'picked_up',
  in_transit: 'in_transit',
  failed_attempt: 'failed_attempt',
  delivered: 'delivered',
  returned: 'returned',
  cancelled: 'cancelled',
};

/** The status after `event` from `from`, or why it cannot happen (`forbidden` for a role problem). */
export function decideMove(
  from: DeliveryStatus,
  event: Exclude<DeliveryEventKind, 'created'>,
  role: DeliveryActorRole,
): { ok: true; to: DeliveryStatus } | { ok: false; forbidden: boolean; reason: string } {
  const rules = RULES[event];
  // Moves only the system makes (following the order) say nothing to people about what is possible now.
  const inState = rules.filter(
    (r) => r.from.includes(from) && (role === 'system' || r.roles.some((x) => x !== 'system')),
  );
  if (!inState.length)
    return {
      ok: false,
      forbidden: false,
      reason: `A delivery that is ${label(from)} cannot be ${label(event)}`,
    };
  if (!inState.some((r) => r.roles.includes(role))) {
    const roles = [...new Set(inState.flatMap((r) => r.roles).filter((r) => r !== 'system'))];
    return {
      ok: false,
      forbidden: true,
      reason: roles.length ? `Only ${roles.join(' or ')} can do this` : 'Only the system can do this',
    };
  }
  return { ok: true, to: event === 'late' ? from : TARGET[event] };
}

/** The events `role` may cause from `status` (for the UI's buttons). */
export function deliveryActions(status: DeliveryStatus, role: DeliveryActorRole): DeliveryEventKind[] {
  return (Object.entries(RULES) as [Exclude<DeliveryEventKind, 'created'>, readonly Rule[]][])
    .filter(
      ([event, rules]) =>
        event !== 'late' && rules.some((r) => r.from.includes(status) && r.roles.includes(role)),
    )
    .map(([event]) => event);
}

export const label = (s: string) => s.replaceAll('_', ' ');
