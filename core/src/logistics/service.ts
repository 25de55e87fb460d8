import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { OpsAlerts } from '../alerts';
import type { Actor } from '../catalog';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
} from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { Order, OrderService } from '../orders';
import type { Redis } from '../redis';
import type { ShopService } from '../shops/service';
import type { UserService } from '../users';
import { createAssignment } from './assignment';
import { createCourierDirectory } from './couriers';
import { estimateArrival } from './eta';
import { placeFor, shopPlace } from './geo';
import { deliveryEvents, logisticsModels, type DeliveryDoc, type DeliveryEventDoc } from './model';
import { createPositionIngestion, type CarriedDelivery } from './positions';
import { createProofStore } from './proofs';
import { CARRYING, FINAL_DELIVERY_STATUSES } from './state';
import { createDeliveryStream, type EntryFields } from './stream';
import { createLogisticsSweep } from './sweep';
import type {
  CourierAvailability,
  DeliveryActor,
  DeliveryActorRole,
  DeliveryStatus,
  DeliverySummary,
  DeliveryView,
  Place,
} from './types';
import { createDeliveryViews, toSummary } from './views';
import { type Clock, systemClock } from '../clock';

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

const SYSTEM: DeliveryActor = { id: null, role: 'system' };
const CODE_TRIES = 5;
const CODE_WINDOW_SECONDS = 15 * 60;

export const deliveryIdOf = (orderId: string) => `dl_${orderId}`;

const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Logistics: deliveries of accepted orders (courier or self-pickup), couriers and their offers, live
 * positions and ETAs, proof of delivery, alerts for support. A delivery is an event stream on the
 * generic ledger (stream.ts) following the machine in state.ts; the order's own status follows it
 * (picked up → shipped, delivered → delivered) through the order service's transitions.
 */
export function createLogisticsService(deps: {
  connection: Connection;
  bus: EventBus;
  log: Logger;
  orders: OrderService;
  shops: ShopService;
  users: UserService;
  redis?: Redis | null;
  /** Support's alerts (late, silent, failed deliveries). */
  alerts: OpsAlerts;
  config: LogisticsConfig;
  dataDir: string;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  const models = logisticsModels(deps.connection);
  const stream = createDeliveryStream({
    models,
    events: deliveryEvents(deps.connection, deps.clock),
    bus: deps.bus,
    log: deps.log,
    clock: now,
  });
  const couriers = createCourierDirectory({
    connection: deps.connection,
    models,
    users: deps.users,
    capacity: deps.config.courierCapacity,
    liveFix: (id) => ingestion.liveFix(id),
    clock: now,
  });
  const ingestion = createPositionIngestion({
    models,
    couriers,
    bus: deps.bus,
    log: deps.log,
    redis: deps.redis ?? null,
    intervalMs: deps.config.positionIntervalMs,
    persistEveryMs: Math.min(5_000, Math.max(500, deps.config.silentMs / 4)),
    averageSpeedKmh: deps.config.averageSpeedKmh,
    carried: carriedBy,
    clock: now,
  });
  const { alerts } = deps;
  const proofs = createProofStore(deps.dataDir);
  const assignment = createAssignment({
    models,
    stream,
    couriers,
    offerTimeoutMs: deps.config.offerTimeoutMs,
    clock: now,
  });
  const views = createDeliveryViews({
    stream,
    couriers,
    averageSpeedKmh: deps.config.averageSpeedKmh,
    clock: now,
  });
  const codeTries = new RateLimiterMemory({
    keyPrefix: 'delivery-code',
    points: CODE_TRIES,
    duration: CODE_WINDOW_SECONDS,
  });

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

  /** Offers the delivery to the nearest courier; a failure only delays it to the next sweep. */
  async function offerQuietly(deliveryId: string): Promise<void> {
    await assignment
      .offer(deliveryId, SYSTEM)
      .catch((err: unknown) => deps.log.warn({ err, deliveryId }, 'could not offer a delivery'));
  }

  /** Deliveries waiting for a courier get offers (a courier came online or finished one). */
  async function offerWaiting(): Promise<number> {
    const waiting = await models.OpenDeliveries.find({ status: 'awaiting_courier' }, { _id: 1 })
      .sort({ createdAt: 1 })
      .limit(200)
      .lean<{ _id: string }[]>();
    let offered = 0;
    for (const { _id } of waiting) {
      const entry = await assignment.offer(_id, SYSTEM).catch(() => null);
      if (entry) offered++;
    }
    return offered;
  }

  /** Moves the order along with its delivery, as the system; a refusal (cancelled meanwhile) is fine. */
  async function syncOrder(doc: DeliveryDoc, to: 'shipped' | 'delivered', note: string): Promise<void> {
    const order = await deps.orders.get(doc.orderId);
    const tracking = {
      carrier: doc.method === 'pickup' ? 'Bazaar pickup' : 'Bazaar Express',
      number: doc.trackingNumber,
    };
    const system = { id: null, role: 'system' as const };
    if (order.status === 'accepted')
      await deps.orders.transition(doc.orderId, 'shipped', system, to === 'shipped' ? note : '', {
        tracking,
      });
    if (to === 'delivered' && ['accepted', 'shipped'].includes(order.status))
      await deps.orders.transition(doc.orderId, 'delivered', system, note);
  }

  stream.setEffects(async (doc, entry, from) => {
    const previous = entry.event === 'reassigned' ? (entry.declined.at(-1) ?? null) : null;
    switch (entry.event) {
      case 'created':
        if (doc.method === 'pickup')
          await syncOrder(doc, 'shipped', `Ready for pickup at ${doc.pickupPoint?.name ?? doc.dropoff.name}`);
        else await offerQuietly(doc._id);
        break;
      case 'declined':
      case 'offer_expired':
        await offerQuietly(doc._id);
        break;
      case 'reassigned':
        // The caller offers it next (to support's pick); the courier who had accepted is free again.
        if (previous && from === 'accepted') await couriers.releaseDelivery(previous, doc._id);
        break;
      case 'picked_up':
        await syncOrder(doc, 'shipped', `Picked up by ${entry.courierName ?? 'the courier'}`);
        break;
      case 'delivered':
        await syncOrder(
          doc,
          'delivered',
          entry.proof ? `Delivered (proof: ${entry.proof.kind})` : entry.note,
        );
        break;
      case 'failed_attempt':
        await alerts.raise(`failed:${doc._id}:${entry.version}`, {
          kind: 'delivery_failed',
          deliveryId: doc._id,
          orderId: doc.orderId,
          courierId: entry.courierId,
          message: `Order ${doc.orderNumber}: delivery attempt ${entry.attempts} failed${entry.note ? ` (${entry.note})` : ''}`,
        });
        break;
      case 'returned':
        await alerts.raise(`returned:${doc._id}`, {
          kind: 'delivery_failed',
          deliveryId: doc._id,
          orderId: doc.orderId,
          courierId: entry.courierId,
          message: `Order ${doc.orderNumber}: returned to ${doc.shopName}${entry.note ? ` (${entry.note})` : ''}`,
        });
        break;
      case 'late':
        await alerts.raise(`late:${doc._id}:${entry.version}`, {
          kind: 'delivery_late',
          deliveryId: doc._id,
          orderId: doc.orderId,
          courierId: entry.courierId,
          message: `Order ${doc.orderNumber} is running late${entry.courierName ? ` (${entry.courierName})` : ''}`,
        });
        break;
      default:
        break;
    }
    if (FINAL_DELIVERY_STATUSES.has(entry.status) && entry.courierId) {
      await couriers.releaseDelivery(entry.courierId, doc._id);
      // A slot came free: someone waiting may now be offered to this courier.
      setImmediate(() => void offerWaiting().catch(() => undefined));
    }
    for (const id of [entry.courierId, previous]) if (id) ingestion.invalidate(id);
  });

  /** Creates the delivery of an accepted order (once, however often it is called). */
  async function ensureDelivery(orderId: string): Promise<string | null> {
    const id = deliveryIdOf(orderId);
    if (await stream.find(id)) {
      await stream.catchUp(id);
      return id;
    }
    const order: Order = await deps.orders.get(orderId);
    if (order.status !== 'accepted') return null;
    const shop = await deps.shops.getShop(order.shopId);
    const pickupPoint = order.delivery.method === 'pickup' ? order.delivery.pickupPoint : null;
    const address = order.delivery.address;
    const dropoff: Place = pickupPoint
      ? placeFor(pickupPoint.name, pickupPoint.address, pickupPoint.address)
      : placeFor(
          address?.name ?? '',
          [address?.line1, address?.line2, address?.district, address?.city, address?.province]
            .filter(Boolean)
            .join(', '),
          [address?.line1, address?.line2, address?.district, address?.city].filter(Boolean).join(', '),
        );
    const at = now();
    const method = pickupPoint ? 'pickup' : 'courier';
    const first: EntryFields = {
      event: 'created',
      status: method === 'pickup' ? 'ready_for_pickup' : 'awaiting_courier',
      courierId: null,
      courierName: null,
      offer: null,
      declined: [],
      dueAt: null,
      late: false,
      attempts: 0,
      proof: null,
      actorId: null,
      actorRole: 'system',
      note:
        method === 'pickup' ? `Self-pickup at ${dropoff.name}` : `Courier delivery from ${order.shopName}`,
    };
    const tag = createHash('sha256').update(orderId).digest('hex').slice(0, 10).toUpperCase();
    const doc: DeliveryDoc = {
      _id: id,
      orderId,
      orderNumber: order.number,
      buyerId: order.buyerId,
      sellerId: order.sellerId,
      shopId: order.shopId,
      shopName: order.shopName,
      method,
      trackingNumber: `BZX${tag}`,
      pickup: shopPlace(order.shopName, shop?.city ?? ''),
      dropoff,
      pickupPoint,
      deliveryCode: sixDigits(),
      pickupCode: sixDigits(),
      status: first.status,
      version: 0,
      courierId: null,
      courierName: null,
      offerCourierId: null,
      offerExpiresAt: null,
      dueAt: null,
      late: false,
      createdAt: at,
      updatedAt: at,
    };
    await stream.create(doc, first);
    // The order may have moved on while the delivery was being made (the seller shipped it by hand, or
    // it was cancelled) and its event found no delivery to follow: follow it now. Anything later finds it.
    await followOrder(orderId);
    return id;
  }

  /**
   * The delivery follows its order when people move the order on: cancelled or refunded → cancelled,
   * marked delivered → delivered, and shipped by the seller with their own carrier before a courier
   * took the parcel → the courier delivery is cancelled (see `handShipRefusal`). Reads the order's state,
   * so it is idempotent and may run from any event or after creating the delivery.
   */
  async function followOrder(orderId: string): Promise<void> {
    const id = deliveryIdOf(orderId);
    const head = await stream.latest(id);
    if (!head || FINAL_DELIVERY_STATUSES.has(head.status)) return;
    const order = await deps.orders.get(orderId);
    if (order.status === 'cancelled' || order.status === 'refunded') {
      await stream.tryMove(id, 'cancelled', SYSTEM, { note: `Order ${order.status}` });
    } else if (order.status === 'delivered' || order.status === 'completed') {
      await stream.tryMove(id, 'delivered', SYSTEM, { note: 'Marked delivered on the order' });
    } else if (order.status === 'shipped') {
      // Logistics ships orders itself (as the system) at pickup; a seller's shipment replaces the courier.
      const shipped = order.timeline.findLast((e) => e.event === 'status' && e.status === 'shipped');
      const doc = await stream.find(id);
      if (!shipped || shipped.actorRole === 'system' || doc?.method !== 'courier') return;
      const by = order.tracking ? ` with ${order.tracking.carrier} ${order.tracking.number}` : '';
      await stream.tryMove(id, 'cancelled', SYSTEM, { note: `Shipped by the seller${by}` });
    }
  }

  // Only the process that moved the order reacts (with a Redis bus every process hears every event);
  // a crash before it did is finished by the reconcile job.
  const unsubscribe = deps.bus.subscribe(
    'order.status_changed',
    async (e) => {
      if (e.event !== 'status') return;
      if (e.status === 'accepted') await ensureDelivery(e.orderId);
      else if (['cancelled', 'refunded', 'delivered', 'shipped'].includes(e.status))
        await followOrder(e.orderId);
    },
    { origin: 'local' },
  );

  /**
   * Why the seller may not ship an order by hand now, or null: once a courier has accepted its courier
   * delivery they are on the way to collect the parcel, and the order ships when they pick it up. Before
   * that (no courier yet, or only an offer) the seller may still ship it with their own carrier, which
   * cancels the courier delivery (`followOrder`). `exact` reads the delivery's stream rather than its
   * document (which trails it by a moment): for the check itself, not for the buttons.
   */
  async function handShipRefusal(orderId: string, exact: boolean): Promise<ConflictError | null> {
    const doc = await stream.find(deliveryIdOf(orderId));
    if (!doc || doc.method !== 'courier') return null;
    const head = exact ? await stream.latest(doc._id) : doc;
    if (!head || !CARRYING.has(head.status)) return null;
    return new ConflictError(
      `A courier delivery handles this order: ${head.courierName ?? 'a courier'} has accepted it ` +
        `(${doc.trackingNumber}) and it ships when they pick it up. To ship it yourself, ask support ` +
        `to cancel the courier delivery first.`,
      { status: head.status, deliveryId: doc._id },
    );
  }

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

  const courierActor = (courier: Actor): DeliveryActor => ({ id: courier.id, role: 'courier' });
  const mine = (courierId: string) => (h: DeliveryEventDoc) =>
    h.courierId === courierId
      ? null
      : { forbidden: true, reason: 'This delivery is carried by another courier' };

  async function checkCode(id: string, given: string, expected: string, field: string) {
    if (sameCode(given, expected)) return;
    try {
      await codeTries.consume(id);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.ceil(res.msBeforeNext / 1000);
      throw new TooManyRequestsError(`Too many wrong codes; try again in ${seconds} s`, seconds);
    }
    throw new ValidationError([{ field, message: 'does not match the code the shopper has' }], 'Wrong code');
  }

  const sweep = createLogisticsSweep({
    models,
    stream,
    couriers,
    alerts,
    assignment,
    orders: deps.orders,
    ensureDelivery,
    followOrder,
    offerWaiting,
    lateGraceMs: deps.config.lateGraceMs,
    silentMs: deps.config.silentMs,
    averageSpeedKmh: deps.config.averageSpeedKmh,
    clock: now,
  });

  return {
    ensureDelivery,
    /** For the realtime server: one fix from a courier's device (see positions.ts). */
    reportPosition: (courierId: string, position: unknown) => ingestion.reportPosition(courierId, position),
    couriers,
    sweep: sweep.sweep,
    reconcile: sweep.reconcile,
    offerWaiting,

    get: viewFor,

    /** Throws the 409 when a courier has taken the order's delivery (the seller's ship button). */
    async checkHandShip(orderId: string): Promise<void> {
      const refusal = await handShipRefusal(orderId, true);
      if (refusal) throw refusal;
    },
    /** Whether the seller may ship the order by hand, by the delivery document (for the order's buttons). */
    async mayShipByHand(orderId: string): Promise<boolean> {
      return (await handShipRefusal(orderId, false)) === null;
    },

    async forOrder(actor: Actor, orderId: string): Promise<DeliveryView> {
      const role = await deps.orders.roleFor(actor, orderId);
      const doc = await stream.find(deliveryIdOf(orderId));
      if (!doc) throw new NotFoundError('Delivery');
      return views.view(doc, role === 'system' ? 'support' : role);
    },
    /** A delivery's proof photo, for those who may see the delivery. */
    async proofPhoto(actor: Actor, id: string) {
      const view = await viewFor(actor, id);
      if (view.proof?.kind !== 'photo' || !view.proof.photo) throw new NotFoundError('Photo');
      return proofs.read(view.proof.photo);
    },

    async setAvailability(courier: Actor, availability: CourierAvailability) {
      const profile = await couriers.setAvailability(courier.id, availability);
      if (availability === 'online') setImmediate(() => void offerWaiting().catch(() => undefined));
      return profile;
    },

    /** The courier's offers and deliveries in hand, and those finished since midnight (UTC). */
    async today(courierId: string): Promise<DeliverySummary[]> {
      const midnight = new Date(now());
      midnight.setUTCHours(0, 0, 0, 0);
      const [open, done] = await Promise.all([
        models.OpenDeliveries.find({ $or: [{ courierId }, { offerCourierId: courierId }] }, { _id: 1 }).lean<
          { _id: string }[]
        >(),
        models.Deliveries.find({ courierId, updatedAt: { $gte: midnight } }, { _id: 1 })
          .limit(200)
          .lean<{ _id: string }[]>(),
      ]);
      const ids = [...new Set([...open, ...done].map((d) => d._id))];
      const docs = (await Promise.all(ids.map((id) => stream.find(id)))).filter((d): d is DeliveryDoc => !!d);
      const rank = (s: DeliveryStatus) => (s === 'assigned' ? 0 : FINAL_DELIVERY_STATUSES.has(s) ? 2 : 1);
      return docs
        .map(toSummary)
        .sort((a, b) => rank(a.status) - rank(b.status) || b.updatedAt.getTime() - a.updatedAt.getTime());
    },

    async accept(courier: Actor, id: string): Promise<DeliveryView> {
      const head = await stream.head(id);
      if (head.status !== 'assigned' && head.courierId === courier.id) return viewFor(courier, id);
      if (head.offer?.courierId !== courier.id)
        throw new ForbiddenError('This delivery was not offered to you');
      if (head.offer.expiresAt <= now())
        throw new ConflictError('The offer has expired', { status: head.status });
      const slot = await couriers.claimSlot(courier.id, id);
      if (!slot)
        throw new ConflictError(`You already carry ${couriers.capacity} deliveries; finish one first`, {
          status: head.status,
        });
      const doc = await stream.load(id);
      const position = await couriers.position(courier.id);
      const profile = await couriers.profileDoc(courier.id);
      try {
        await stream.move(id, 'accepted', courierActor(courier), {
          guard: (h) =>
            h.offer?.courierId !== courier.id
              ? { forbidden: true, reason: 'This delivery was not offered to you' }
              : h.offer.expiresAt <= now()
                ? { forbidden: false, reason: 'The offer has expired' }
                : null,
          patch: () => ({
            courierId: courier.id,
            courierName: profile.name,
            offer: null,
            dueAt: estimateArrival({
              status: 'accepted',
              position,
              speedKmh: null,
              pickup: doc.pickup,
              dropoff: doc.dropoff,
              averageSpeedKmh: deps.config.averageSpeedKmh,
              now: now(),
            }),
          }),
        });
      } catch (err) {
        // Our own other click (on this process or another) got there first: the slot is the delivery's.
        const again = await stream.head(id);
        if (again.courierId === courier.id && CARRYING.has(again.status)) return viewFor(courier, id);
        // Lost to a timeout or a reassignment: give back the slot we took (if the delivery still holds it).
        if (slot.fresh) await couriers.releaseSlot(slot.id, id);
        throw err;
      }
      return viewFor(courier, id);
    },

    async decline(courier: Actor, id: string, reason: string): Promise<void> {
      await stream.move(id, 'declined', courierActor(courier), {
        note: reason,
        guard: (h) =>
          h.offer?.courierId === courier.id
            ? null
            : { forbidden: true, reason: 'This delivery was not offered to you' },
        patch: (h) => ({ offer: null, declined: [...h.declined, courier.id] }),
      });
    },

    async step(
      courier: Actor,
      id: string,
      event: 'picked_up' | 'in_transit' | 'failed_attempt' | 'returned',
      note = '',
    ): Promise<DeliveryView> {
      await stream.move(id, event, courierActor(courier), {
        note,
        guard: mine(courier.id),
        patch: (h) => (event === 'failed_attempt' ? { attempts: h.attempts + 1 } : {}),
      });
      return viewFor(courier, id);
    },

    /** Proof of delivery by the code the shopper reads out, or by a photo of the parcel at the door. */
    async deliver(
      courier: Actor,
      id: string,
      proof: { code: string } | { photo: Buffer },
    ): Promise<DeliveryView> {
      const head = await stream.head(id);
      const guard = mine(courier.id)(head);
      if (guard) throw new ForbiddenError(guard.reason);
      if (!['picked_up', 'in_transit'].includes(head.status))
        throw new ConflictError(
          `A delivery that is ${head.status.replaceAll('_', ' ')} cannot be delivered`,
          {
            status: head.status,
          },
        );
      const doc = await stream.load(id);
      let photo: string | null = null;
      if ('code' in proof) await checkCode(id, proof.code, doc.deliveryCode, 'body.code');
      else photo = (await proofs.save(id, proof.photo)).file;
      await stream.move(id, 'delivered', courierActor(courier), {
        guard: mine(courier.id),
        patch: () => ({ proof: { kind: photo ? 'photo' : 'code', photo } }),
      });
      return viewFor(courier, id);
    },

    /** Self-pickup: the pickup point's staff (the shop's seller, or support) check the shopper's code. */
    async collect(actor: Actor, id: string, code: string): Promise<DeliveryView> {
      const doc = await stream.find(id);
      if (!doc) throw new NotFoundError('Delivery');
      const role = roleOf(actor, doc, await stream.head(id));
      if (role !== 'seller' && role !== 'support')
        throw new ForbiddenError('Only the pickup point (the seller or support) can hand a parcel over');
      if (doc.method !== 'pickup') throw new ConflictError('This delivery goes by courier, not self-pickup');
      await checkCode(id, code, doc.pickupCode, 'body.code');
      await stream.move(
        id,
        'delivered',
        { id: actor.id, role },
        {
          note: 'Collected at the pickup point',
          patch: () => ({ proof: { kind: 'code', photo: null } }),
        },
      );
      return viewFor(actor, id);
    },

    /** Support hands a delivery to another courier: `courierId`, or the nearest one who has not had it. */
    async reassign(actor: Actor, id: string, courierId?: string): Promise<DeliveryView> {
      const head = await stream.head(id);
      if (courierId) await assignment.checkChosen(courierId);
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
      await assignment.offer(id, { id: actor.id, role: 'support' }, courierId);
      return viewFor(actor, id);
    },

    async cancel(actor: Actor, id: string, reason: string): Promise<DeliveryView> {
      await stream.move(id, 'cancelled', { id: actor.id, role: 'support' }, { note: reason });
      return viewFor(actor, id);
    },

    async forSeller(sellerId: string, opts: { status?: DeliveryStatus; limit?: number } = {}) {
      const docs = await models.Deliveries.find({ sellerId, ...(opts.status && { status: opts.status }) })
        .sort({ createdAt: -1 })
        .limit(opts.limit ?? 50)
        .lean<DeliveryDoc[]>();
      return docs.map(toSummary);
    },

    /** Support's feed: newest first, filtered; counters of the deliveries still under way. */
    async feed(q: { status?: DeliveryStatus; sellerId?: string; late?: boolean; limit?: number }) {
      const filter = {
        ...(q.status && { status: q.status }),
        ...(q.sellerId && { sellerId: q.sellerId }),
        ...(q.late !== undefined && { late: q.late }),
      };
      const [docs, counters] = await Promise.all([
        models.Deliveries.find(filter)
          .sort({ createdAt: -1 })
          .limit(q.limit ?? 50)
          .lean<DeliveryDoc[]>(),
        sweep.counters(),
      ]);
      return { items: docs.map(toSummary), counters };
    },

    close() {
      unsubscribe();
      ingestion.close();
    },
  };
}

export type LogisticsService = ReturnType<typeof createLogisticsService>;
