import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import { alertModel, type OpsAlertDoc } from './model';
import type { OpsAlert, OpsAlertInput } from './types';
import { systemClock, type Clock } from '../clock';

const toAlert = (d: OpsAlertDoc): OpsAlert => ({
  id: d._id,
  kind: d.kind,
  deliveryId: d.deliveryId ?? null,
  orderId: d.orderId ?? null,
  courierId: d.courierId ?? null,
  paymentId: d.paymentId ?? null,
  message: d.message,
  at: d.at,
});

/**
 * Alerts for support, from any domain (logistics: late, silent, failed deliveries; payments: events that
 * do not match their payment). Each has an incident key as its `_id` (`late:<delivery>:<version>`,
 * `payment_mismatch:<provider>:<event>`): the first insert stores it and publishes `ops.alert` (the
 * support console's toast), every later sighting of the same incident — by the next sweep, a redelivered
 * webhook, or another node — hits the unique index and stays quiet. Stored, so a reload still shows it.
 */
export function createOpsAlerts(deps: { connection: Connection; bus: EventBus; clock?: Clock }) {
  const Alerts = alertModel(deps.connection);
  const now = deps.clock ?? systemClock;
  return {
    /** Raises the alert once per `key`; returns whether this call raised it. */
    async raise(key: string, input: OpsAlertInput): Promise<boolean> {
      const doc: OpsAlertDoc = {
        _id: key,
        kind: input.kind,
        deliveryId: 'deliveryId' in input ? input.deliveryId : null,
        orderId: input.orderId,
        courierId: 'courierId' in input ? input.courierId : null,
        paymentId: 'paymentId' in input ? input.paymentId : null,
        message: input.message,
        at: now(),
      };
      try {
        await Alerts.create(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
      const { _id, at, ...rest } = doc;
      await deps.bus.publish('ops.alert', { alertId: _id, ...rest, at: at.toISOString() });
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

    async forPayment(paymentId: string): Promise<OpsAlert[]> {
      const docs = await Alerts.find({ paymentId }).sort({ at: -1 }).limit(50).lean<OpsAlertDoc[]>();
      return docs.map(toAlert);
    },

    /** Alerts older than `before` go (no TTL indexes on FerretDB); their incidents are long over. */
    async prune(before: Date): Promise<number> {
      return (await Alerts.deleteMany({ at: { $lt: before } })).deletedCount;
    },
  };
}

export type OpsAlerts = ReturnType<typeof createOpsAlerts>;
