import type { Actor } from '../catalog';
import { ConflictError } from '../errors';
import type { DeliveryAccess } from './access';
import type { Assignment } from './assignment';
import type { DeliveryDoc, LogisticsModels } from './model';
import type { DeliveryStream } from './stream';
import type { DeliveryStatus, DeliveryView } from './types';
import { toSummary } from './views';

/** What support does with deliveries: watch the feed, hand a delivery to another courier, cancel one. */
export function createSupportCommands(deps: {
  models: LogisticsModels;
  stream: DeliveryStream;
  assignment: Assignment;
  access: DeliveryAccess;
  /** Deliveries under way by status, late, delivered today (the sweep keeps the working set). */
  counters: () => Promise<{
    byStatus: Partial<Record<DeliveryStatus, number>>;
    late: number;
    deliveredToday: number;
  }>;
}) {
  const { stream, access } = deps;

  return {
    /** Support hands a delivery to another courier: `courierId`, or the nearest one who has not had it. */
    async reassign(actor: Actor, id: string, courierId?: string): Promise<DeliveryView> {
      const head = await stream.head(id);
      if (courierId) await deps.assignment.checkChosen(courierId);
      if (head.status === 'assigned' || head.status === 'accepted') {
        const previous = head.courierId ?? head.offer?.courierId ?? null;
        await stream.move(
          id,
          'reassigned',
          { id: actor.id, role: 'support' },
          {
            note: courierId ? 'Reassigned by support' : 'Reassigned by support to the next nearest courier',
            patch: (h) => ({
              courierId: null,
              courierName: null,
              offer: null,
              dueAt: null,
              declined: previous && !h.declined.includes(previous) ? [...h.declined, previous] : h.declined,
            }),
          },
        );
      } else if (head.status !== 'awaiting_courier') {
        throw new ConflictError(
          `A delivery that is ${head.status.replaceAll('_', ' ')} cannot be reassigned`,
          {
            status: head.status,
          },
        );
      }
      await deps.assignment.offer(id, { id: actor.id, role: 'support' }, courierId);
      return access.viewFor(actor, id);
    },

    async cancel(actor: Actor, id: string, reason: string): Promise<DeliveryView> {
      await stream.move(id, 'cancelled', { id: actor.id, role: 'support' }, { note: reason });
      return access.viewFor(actor, id);
    },

    /** Support's feed: newest first, filtered; counters of the deliveries still under way. */
    async feed(q: { status?: DeliveryStatus; sellerId?: string; late?: boolean; limit?: number }) {
      const filter = {
        ...(q.status && { status: q.status }),
        ...(q.sellerId && { sellerId: q.sellerId }),
        ...(q.late !== undefined && { late: q.late }),
      };
      const [docs, counters] = await Promise.all([
        deps.models.Deliveries.find(filter)
          .sort({ createdAt: -1 })
          .limit(q.limit ?? 50)
          .lean<DeliveryDoc[]>(),
        deps.counters(),
      ]);
      return { items: docs.map(toSummary), counters };
    },
  };
}

export type SupportCommands = ReturnType<typeof createSupportCommands>;
