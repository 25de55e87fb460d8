import type { Actor } from '../catalog';
import { NotFoundError } from '../errors';
import type { DeliveryDoc, DeliveryEventDoc } from './model';
import { deliveryIdOf, type OrderLookup } from './order-deliveries';
import type { ProofStore } from './proofs';
import type { DeliveryStream } from './stream';
import type { DeliveryActorRole, DeliveryView } from './types';
import type { DeliveryViews } from './views';

/**
 * Who may see a delivery, as whom, and what they see: support and admins see every delivery; the seller
 * and the buyer their order's; a courier the deliveries offered to them or in their hands. Anyone else
 * is told it does not exist.
 */
export function createDeliveryAccess(deps: {
  stream: DeliveryStream;
  views: DeliveryViews;
  orders: Pick<OrderLookup, 'roleFor'>;
  proofs: ProofStore;
}) {
  const { stream, views } = deps;

  /** Who `actor` is to this delivery; "not found" for anyone with no business seeing it. */
  function roleOf(actor: Actor, doc: DeliveryDoc, head: DeliveryEventDoc): DeliveryActorRole {
    if (actor.roles.includes('support') || actor.roles.includes('admin')) return 'support';
    if (doc.sellerId === actor.id) return 'seller';
    if (doc.buyerId === actor.id) return 'buyer';
    if (
      actor.roles.includes('courier') &&
      (head.courierId === actor.id || head.offer?.courierId === actor.id)
    )
      return 'courier';
    throw new NotFoundError('Delivery');
  }

  async function viewFor(actor: Actor, id: string): Promise<DeliveryView> {
    const doc = await stream.find(id);
    if (!doc) throw new NotFoundError('Delivery');
    const head = await stream.head(id);
    return views.view(doc, roleOf(actor, doc, head), head);
  }

  return {
    roleOf,
    viewFor,

    /**
     * The delivery of an order, for those who may see the order; null while it has none yet (the seller
     * has not accepted it, or accepted it a moment ago): that is a state of the order, not a missing thing.
     */
    async forOrder(actor: Actor, orderId: string): Promise<DeliveryView | null> {
      const role = await deps.orders.roleFor(actor, orderId);
      const doc = await stream.find(deliveryIdOf(orderId));
      if (!doc) return null;
      return views.view(doc, role === 'system' ? 'support' : role);
    },

    /** A delivery's proof photo, for those who may see the delivery. */
    async proofPhoto(actor: Actor, id: string) {
      const view = await viewFor(actor, id);
      if (view.proof?.kind !== 'photo' || !view.proof.photo) throw new NotFoundError('Photo');
      return deps.proofs.read(view.proof.photo);
    },
  };
}

export type DeliveryAccess = ReturnType<typeof createDeliveryAccess>;
