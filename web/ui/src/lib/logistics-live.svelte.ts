import { describeError, ApiError } from './api/api-error';
import type { Delivery } from './api/wire';
import { followConnection, type ConnectionHandlers } from './realtime/connection';
import { coalesced } from './realtime/order-events';
import type { CourierLocationMessage, DeliveryUpdatedMessage } from './realtime/socket';

type Handler = (...args: never[]) => void;

/**
 * What every namespace socket that carries deliveries has in common (`/shop`, `/seller`, `/courier`,
 * `/support`); their typed event maps differ, so they are taken through this loose shape.
 */
export interface DeliverySocket {
  connected: boolean;
  recovered?: boolean;
  on(event: string, handler: Handler): unknown;
  off(event: string, handler: Handler): unknown;
}

export function asDeliverySocket(socket: unknown): DeliverySocket {
  return socket as DeliverySocket;
}

export interface DeliveryFeedHandlers extends ConnectionHandlers {
  onUpdate?(message: DeliveryUpdatedMessage): void;
  onLocation?(message: CourierLocationMessage): void;
}

/** Follows `delivery.updated` and `courier.location` on a socket. Returns the unsubscribe function. */
export function followDeliveries(socket: DeliverySocket, handlers: DeliveryFeedHandlers): () => void {
  const onUpdate = (m: DeliveryUpdatedMessage) => handlers.onUpdate?.(m);
  const onLocation = (m: CourierLocationMessage) => handlers.onLocation?.(m);
  socket.on('delivery.updated', onUpdate);
  socket.on('courier.location', onLocation);
  const stopConnection = followConnection(socket, handlers);
  return () => {
    socket.off('delivery.updated', onUpdate);
    socket.off('courier.location', onLocation);
    stopConnection();
  };
}

/**
 * One delivery kept current: read once, then every `delivery.updated` of it re-reads it (newer versions
 * only) and every `courier.location` moves its courier and ETA in place, without a request. `watch`
 * joins the room that carries the courier's positions (`order:watch` on /shop, `delivery:watch` on
 * /support), again after each reconnection.
 */
export class LiveDelivery {
  delivery = $state<Delivery | null>(null);
  connected = $state(false);
  missing = $state(false);
  error = $state<string | null>(null);
  /** How many positions arrived live (lets the UI and tests see the stream). */
  fixes = $state(0);

  constructor(
    /** Null: there is no delivery yet (an order's appears when the seller accepts it). */
    private readonly load: () => Promise<Delivery | null>,
    private readonly socket: DeliverySocket,
    private readonly matches: (m: { deliveryId: string; orderId: string }) => boolean,
    private readonly watch?: () => void,
  ) {}

  readonly reload = coalesced(async () => {
    try {
      const found = await this.load();
      this.delivery = found;
      this.missing = found === null;
      this.error = null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.missing = true;
      else this.error = describeError(e);
    }
  });

  start(): () => void {
    this.watch?.();
    const stop = followDeliveries(this.socket, {
      onUpdate: (m) => {
        if (!this.matches(m)) return;
        if (this.delivery && m.version <= this.delivery.version) return;
        void this.reload();
      },
      onLocation: (m) => {
        const d = this.delivery;
        if (!this.matches(m) || !d) return;
        this.fixes += 1;
        this.delivery = {
          ...d,
          position: {
            lat: m.lat,
            lng: m.lng,
            heading: m.heading,
            speedKmh: m.speedKmh,
            accuracy: null,
            at: m.at,
          },
          etaAt: m.etaAt ?? d.etaAt,
        };
      },
      onResync: () => {
        this.watch?.();
        void this.reload();
      },
      onConnectionChange: (live) => (this.connected = live),
    });
    void this.reload();
    return stop;
  }
}
