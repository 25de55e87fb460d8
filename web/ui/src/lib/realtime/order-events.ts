import type { OrderStatusMessage, PaymentUpdatedMessage } from '@market/realtime/contract';
import { followConnection, type ConnectionHandlers } from './connection';
import type { SellerSocket, ShopSocket, SupportSocket } from './socket';

/** Any socket that carries order news: the shopper's, the seller's or support's. */
export type OrderEventSocket = ShopSocket | SellerSocket | SupportSocket;

export type { OrderStatusMessage, PaymentUpdatedMessage };

/**
 * Live order news on the shared socket, for the shopper's pages and the seller's and support's alike.
 * The server routes `order.status_changed` by room: a buyer gets their orders, a seller their shop's,
 * support and admins every order; `payment.updated` goes to the paying shopper.
 */
export interface OrderEventHandlers extends ConnectionHandlers {
  /** An order this session may see changed (status, refund or creation); read it again for details. */
  onChange?(message: OrderStatusMessage): void;
  /** A payment of this session's checkouts moved on (succeeded, failed, expired). */
  onPayment?(message: PaymentUpdatedMessage): void;
}

/** Follows order and payment events on `socket`. Returns the unsubscribe function. */
export function followOrderEvents(s: OrderEventSocket, handlers: OrderEventHandlers): () => void {
  // Only the shopper's socket carries `payment.updated`; the others simply never emit it.
  const socket = s as ShopSocket;
  const onChange = (message: OrderStatusMessage) => handlers.onChange?.(message);
  const onPayment = (message: PaymentUpdatedMessage) => handlers.onPayment?.(message);
  socket.on('order.status_changed', onChange);
  socket.on('payment.updated', onPayment);
  const stopConnection = followConnection(socket, handlers);
  return () => {
    socket.off('order.status_changed', onChange);
    socket.off('payment.updated', onPayment);
    stopConnection();
  };
}

/** Which orders a page cares about: one order, one checkout's orders, or (empty) all of the user's. */
export interface OrderActivityFilter {
  orderId?: string;
  checkoutId?: string;
}

/**
 * Calls `onActivity` when an order or payment matching `filter` changes, and after the socket
 * reconnects. For pages that simply read their orders again on any news. Returns the unsubscribe function.
 */
export function onOrderActivity(
  socket: OrderEventSocket,
  filter: OrderActivityFilter,
  onActivity: () => void,
): () => void {
  const forCheckout = (checkoutId: string) => !filter.checkoutId || checkoutId === filter.checkoutId;
  return followOrderEvents(socket, {
    onChange: (message) => {
      if ((!filter.orderId || message.orderId === filter.orderId) && forCheckout(message.checkoutId))
        onActivity();
    },
    // A payment belongs to a checkout, not to one order: it concerns every order of that checkout.
    onPayment: (message) => {
      if (forCheckout(message.checkoutId)) onActivity();
    },
    onResync: onActivity,
  });
}

/**
 * Wraps an async read so calls never overlap: a call while one runs queues exactly one more run after
 * it, so a burst of events becomes at most two reads and the last one sees the latest state.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return run;
}

/**
 * Runs `task` once, a moment after the last call: a checkout with several shops, or a burst of status
 * changes, becomes one re-read instead of many.
 */
export function debounced(task: () => void, delayMs = 150): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(task, delayMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
