import type { Connection } from 'mongoose';
import type { OpsAlerts } from '../alerts';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import type { ShopService } from '../shops';
import type { UserService } from '../users';
import { createDeliveryAccess } from './access';
import { createAssignment } from './assignment';
import { createCodeCheck } from './codes';
import { createCourierCommands } from './courier-commands';
import { createCourierDirectory } from './couriers';
import { createDeliveryEffects } from './effects';
import { createLogisticsErasure } from './erasure';
import { deliveryEvents, logisticsModels, type DeliveryDoc } from './model';
import { createOrderDeliveries, type OrderLookup } from './order-deliveries';
import { createPositionIngestion, type CarriedDelivery } from './positions';
import { createProofStore } from './proofs';
import { createReturnDeliveries } from './return-deliveries';
import { createSellerCommands } from './seller-commands';
import { CARRYING } from './state';
import { createDeliveryStream } from './stream';
import { createSupportCommands } from './support-commands';
import { createLogisticsSweep } from './sweep';
import type { DeliveryEffects, DeliveryStatus } from './types';
import { createDeliveryViews } from './views';
import { type Clock, systemClock } from '../clock';

export { deliveryIdOf } from './order-deliveries';

export interface LogisticsConfig {
  offerTimeoutMs: number;
  courierCapacity: number;
  averageSpeedKmh: number;
  /** A delivery is late this long after its promised time (or when its estimate passes that). */
  lateGraceMs: number;
  /** A carrying courier without a fix for this long is reported silent. */
  silentMs: number;
  /** Minimum spacing of a courier's fixes (the realtime contract's COURIER_POSITION_INTERVAL_MS). */
  positionIntervalMs: number;
}

/**
 * Logistics: deliveries of accepted orders (courier or self-pickup) and courier pickups of returns, couriers and their offers, live
 * positions and ETAs, proof of delivery, alerts for support. A delivery is an event stream on the
 * generic ledger (stream.ts) following the machine in state.ts. This function only assembles the parts
 * (one concept per file, see README.md); the order follows its delivery through `orderEffects`, the
 * order sync flow (`core/src/flows/delivery-sync.ts`), which also moves deliveries after their orders.
 */
export function createLogisticsService(deps: {
  connection: Connection;
  bus: EventBus;
  log: Logger;
  /** Logistics reads orders (to create and follow their deliveries, and for who may see them). */
  orders: OrderLookup;
  shops: Pick<ShopService, 'getShop'>;
  users: UserService;
  redis?: Redis | null;
  /** Support's alerts (late, silent, failed deliveries). */
  alerts: OpsAlerts;
  /** What a delivery's events set off outside logistics: its order moves along. */
  orderEffects: DeliveryEffects;
  config: LogisticsConfig;
  dataDir: string;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  const { config } = deps;
  const models = logisticsModels(deps.connection);
  const stream = createDeliveryStream({
    models,
    events: deliveryEvents(deps.connection, deps.clock),
    bus: deps.bus,
    log: deps.log,
    // The effects offer deliveries through the stream: they are assembled below, once it exists.
    effects: (doc, entry, from) => afterEvent(doc, entry, from),
    clock: now,
  });
  const couriers = createCourierDirectory({
    connection: deps.connection,
    models,
    users: deps.users,
    capacity: config.courierCapacity,
    liveFix: (id) => ingestion.liveFix(id),
    clock: now,
  });
  const ingestion = createPositionIngestion({
    models,
    couriers,
    bus: deps.bus,
    log: deps.log,
    redis: deps.redis ?? null,
    intervalMs: config.positionIntervalMs,
    persistEveryMs: Math.min(5_000, Math.max(500, config.silentMs / 4)),
    averageSpeedKmh: config.averageSpeedKmh,
    carried: carriedBy,
    clock: now,
  });
  const assignment = createAssignment({
    models,
    stream,
    couriers,
    offerTimeoutMs: config.offerTimeoutMs,
    log: deps.log,
    clock: now,
  });
  const afterEvent = createDeliveryEffects({
    order: deps.orderEffects,
    assignment,
    couriers,
    alerts: deps.alerts,
    ingestion,
  });
  const views = createDeliveryViews({
    stream,
    couriers,
    averageSpeedKmh: config.averageSpeedKmh,
    clock: now,
  });
  const proofs = createProofStore(deps.dataDir);
  const checkCode = createCodeCheck();
  const access = createDeliveryAccess({ stream, views, orders: deps.orders, proofs });
  const erasure = createLogisticsErasure({ connection: deps.connection, models, proofs });
  const orderDeliveries = createOrderDeliveries({
    stream,
    orders: deps.orders,
    shops: deps.shops,
    clock: now,
  });
  const returnDeliveries = createReturnDeliveries({
    stream,
    orders: deps.orders,
    shops: deps.shops,
    clock: now,
  });
  const sweep = createLogisticsSweep({
    models,
    stream,
    couriers,
    alerts: deps.alerts,
    assignment,
    orders: deps.orders,
    ensureDelivery: orderDeliveries.ensureDelivery,
    followOrder: orderDeliveries.followOrder,
    offerWaiting: assignment.offerWaiting,
    lateGraceMs: config.lateGraceMs,
    silentMs: config.silentMs,
    averageSpeedKmh: config.averageSpeedKmh,
    clock: now,
  });
  const courierCommands = createCourierCommands({
    models,
    stream,
    couriers,
    assignment,
    access,
    proofs,
    checkCode,
    averageSpeedKmh: config.averageSpeedKmh,
    clock: now,
  });
  const sellerCommands = createSellerCommands({ models, stream, access, orderDeliveries, checkCode });
  const supportCommands = createSupportCommands({
    models,
    stream,
    assignment,
    access,
    counters: sweep.counters,
  });

  /** The deliveries a courier carries now, for their position's ETAs. */
  async function carriedBy(courierId: string): Promise<CarriedDelivery[]> {
    const open = await models.OpenDeliveries.find({ courierId }).lean<
      { _id: string; status: DeliveryStatus }[]
    >();
    const docs = await Promise.all(open.filter((o) => CARRYING.has(o.status)).map((o) => stream.find(o._id)));
    return docs
      .filter((d): d is DeliveryDoc => d !== null)
      .map((d) => ({
        id: d._id,
        orderId: d.orderId,
        buyerId: d.buyerId,
        status: open.find((o) => o._id === d._id)!.status,
        pickup: d.pickup,
        dropoff: d.dropoff,
      }));
  }

  return {
    /** Creates the delivery of an accepted order (once, however often it is called). */
    ensureDelivery: orderDeliveries.ensureDelivery,
    /** Moves an open delivery along with its order (cancelled, delivered, shipped by the seller). */
    followOrder: orderDeliveries.followOrder,
    /** Creates the courier pickup of an after-sales return (once per booking). */
    ensureReturnDelivery: returnDeliveries.ensureReturnDelivery,
    /** Calls off a return pickup before the courier has the parcel. */
    cancelReturnDelivery: returnDeliveries.cancelReturnDelivery,
    /** For the realtime server: one fix from a courier's device (see positions.ts). */
    reportPosition: (courierId: string, position: unknown) => ingestion.reportPosition(courierId, position),
    couriers,
    sweep: sweep.sweep,
    reconcile: sweep.reconcile,
    offerWaiting: assignment.offerWaiting,

    get: access.viewFor,
    forOrder: access.forOrder,
    proofPhoto: access.proofPhoto,
    ...courierCommands,
    ...sellerCommands,
    ...supportCommands,

    /** Account erasure: the buyer's place and proof photos leave their deliveries. */
    anonymiseRecipient: erasure.anonymiseRecipient,

    close() {
      ingestion.close();
    },
  };
}

export type LogisticsService = ReturnType<typeof createLogisticsService>;
