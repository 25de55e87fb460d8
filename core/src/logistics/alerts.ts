import { isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import type { LogisticsModels, OpsAlertDoc } from './model';
import type { OpsAlert } from './types';
import { type Clock } from '../clock';

const toAlert = (d: OpsAlertDoc): OpsAlert => ({
  id: d._id,
  kind: d.kind,
  deliveryId: d.deliveryId,
  orderId: d.orderId,
  courierId: d.courierId,
  message: d.message,
  at: d.at,
});

/**
 * Alerts for support. Each has an incident key as its `_id` (`late:<delivery>:<version>`,
 * `silent:<delivery>:<last fix time>`): the first insert raises and publishes it, every later sighting of
 * the same incident — by the next sweep, or by another node's — hits the unique index and stays quiet.
 */
export function createOpsAlerts(deps: { models: LogisticsModels; bus: EventBus; clock: Clock }) {
  const { Alerts } = deps.models;
  return {
    /** Raises the alert once per `key`; returns whether this call raised it. */
    async raise(key: string, alert: Omit<OpsAlertDoc, '_id' | 'at'>): Promise<boolean> {
      const doc: OpsAlertDoc = { _id: key, ...alert, at: deps.clock() };
      try {
        await Alerts.create(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
      await deps.bus.publish('ops.alert', {
        alertId: doc._id,
        kind: doc.kind,
        deliveryId: doc.deliveryId,
        orderId: doc.orderId,
        courierId: doc.courierId,
        message: doc.message,
        at: doc.at.toISOString(),
      });
      return true;
    },

    async recent(limit = 50): Promise<OpsAlert[]> {
      const docs = await Alerts.find({}).sort({ at: -1 }).limit(limit).lean<OpsAlertDoc[]>();
      return docs.map(toAlert);
    },

    async forDelivery(deliveryId: string): Promise<OpsAlert[]> {
      const docs = await Alerts.find({ deliveryId }).sort({ at: -1 }).limit(50).lean<OpsAlertDoc[]>();
      return docs.map(toAlert);
    },

    /** Alerts older than `before` go (no TTL indexes on FerretDB); their incidents are long over. */
    async prune(before: Date): Promise<number> {
      return (await Alerts.deleteMany({ at: { $lt: before } })).deletedCount;
    },
  };
}

export type OpsAlerts = ReturnType<typeof createOpsAlerts>;
