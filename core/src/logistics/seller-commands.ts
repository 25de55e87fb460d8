import type { Actor } from '../catalog';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { DeliveryAccess } from './access';
import type { CodeCheck } from './codes';
import type { DeliveryDoc, LogisticsModels } from './model';
import type { OrderDeliveries } from './order-deliveries';
import type { DeliveryStream } from './stream';
import type { DeliveryStatus, DeliveryView } from './types';
import { toSummary } from './views';

/**
 * What a seller does with deliveries: hand a self-pickup parcel over at the pickup point (support may
 * too), list their shop's deliveries, and learn whether they may still ship an order by hand.
 */
export function createSellerCommands(deps: {
  models: LogisticsModels;
  stream: DeliveryStream;
  access: DeliveryAccess;
  orderDeliveries: OrderDeliveries;
  checkCode: CodeCheck;
}) {
  const { stream, access } = deps;

  return {
    /** Self-pickup: the pickup point's staff (the shop's seller, or support) check the shopper's code. */
    async collect(actor: Actor, id: string, code: string): Promise<DeliveryView> {
      const doc = await stream.find(id);
      if (!doc) throw new NotFoundError('Delivery');
      const role = access.roleOf(actor, doc, await stream.head(id));
      if (role !== 'seller' && role !== 'support')
        throw new ForbiddenError('Only the pickup point (the seller or support) can hand a parcel over');
      if (doc.method !== 'pickup') throw new ConflictError('This delivery goes by courier, not self-pickup');
      await deps.checkCode(id, code, doc.pickupCode, 'body.code');
      await stream.move(
        id,
        'delivered',
        { id: actor.id, role },
        {
          note: 'Collected at the pickup point',
          patch: () => ({ proof: { kind: 'code', photo: null } }),
        },
      );
      return access.viewFor(actor, id);
    },

    async forSeller(sellerId: string, opts: { status?: DeliveryStatus; limit?: number } = {}) {
      const docs = await deps.models.Deliveries.find({
        sellerId,
        ...(opts.status && { status: opts.status }),
      })
        .sort({ createdAt: -1 })
        .limit(opts.limit ?? 50)
        .lean<DeliveryDoc[]>();
      return docs.map(toSummary);
    },

    /** Throws the 409 when a courier has taken the order's delivery (the seller's ship button). */
    async checkHandShip(orderId: string): Promise<void> {
      const refusal = await deps.orderDeliveries.handShipRefusal(orderId, true);
      if (refusal) throw refusal;
    },

    /** Whether the seller may ship the order by hand, by the delivery document (for the order's buttons). */
    async mayShipByHand(orderId: string): Promise<boolean> {
      return (await deps.orderDeliveries.handShipRefusal(orderId, false)) === null;
    },
  };
}

export type SellerCommands = ReturnType<typeof createSellerCommands>;
