import { MAX_ORDER_LIST, type OperationsApi } from '../../lib/api/operations-api';
import type { Order } from '../../lib/api/wire';
import { OrderChime } from '../../lib/order-chime.svelte';
import { debounced, followOrderEvents, type OrderStatusMessage } from '../../lib/realtime/order-events';
import type { SellerSocket } from '../../lib/realtime/socket';

/** How long a newly paid order stays marked "new". */
const FRESH_MS = 15_000;

export type OrderChangeListener = (change: { orderId: string | null; order?: Order }) => void;

/**
 * The seller centre's live view of the shop's orders, alive while the seller centre is open (any tab):
 * how many paid orders wait to be accepted (the tab badge), which became paid just now (highlighted, with
 * a chime), and a change feed that open order lists re-read from. Driven by `order.status_changed`.
 */
export class SellerOrderFeed {
  /** Paid orders waiting for acceptance; null until first counted. Capped at the server's list size. */
  toAccept = $state<number | null>(null);
  /** Orders that became paid while the page was open, newest first. */
  fresh = $state<string[]>([]);
  connected = $state(false);
  readonly chime = new OrderChime();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not rendered state
  readonly #listeners = new Set<OrderChangeListener>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timers, not rendered state
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly api: OperationsApi,
    private readonly socket: SellerSocket,
    private readonly sellerId: () => string | null,
  ) {}

  /** Starts following the socket; returns the stop function (for an `$effect`). */
  start(): () => void {
    const recount = debounced(() => void this.#count());
    const stopEvents = followOrderEvents(this.socket, {
      onChange: (message) => {
        recount.schedule();
        if (message.event === 'status' && message.status === 'paid') void this.#announce(message);
        else this.#emit({ orderId: message.orderId });
      },
      onResync: () => {
        recount.schedule();
        this.#emit({ orderId: null });
      },
      onConnectionChange: (connected) => (this.connected = connected),
    });
    const disarm = this.chime.armOnFirstGesture();
    void this.#count();
    return () => {
      stopEvents();
      disarm();
      recount.cancel();
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
      this.chime.close();
    };
  }

  /** `orderId` null means "anything may have changed" (after a reconnect). */
  onChange(listener: OrderChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  isFresh(orderId: string): boolean {
    return this.fresh.includes(orderId);
  }

  /** The seller has seen it (acted on it): stop marking it new. */
  markSeen(orderId: string): void {
    this.fresh = this.fresh.filter((id) => id !== orderId);
  }

  async #announce(message: OrderStatusMessage): Promise<void> {
    let order: Order | undefined;
    try {
      order = await this.api.getOrder(message.orderId);
    } catch {
      // Gone or no longer visible to us: lists still re-read below.
    }
    // A seller also gets events as a buyer (their own purchases from other shops): those are not news.
    if (order && order.sellerId === this.sellerId() && order.status === 'paid') {
      this.fresh = [order.id, ...this.fresh.filter((id) => id !== order.id)];
      this.chime.play();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.markSeen(message.orderId);
      }, FRESH_MS);
      this.#timers.add(timer);
    }
    this.#emit({ orderId: message.orderId, order });
  }

  #emit(change: Parameters<OrderChangeListener>[0]): void {
    for (const listener of this.#listeners) listener(change);
  }

  async #count(): Promise<void> {
    try {
      this.toAccept = (await this.api.sellerOrders({ status: 'paid', limit: MAX_ORDER_LIST })).length;
    } catch (error) {
      console.warn('Could not count the orders to accept', error);
    }
  }
}
