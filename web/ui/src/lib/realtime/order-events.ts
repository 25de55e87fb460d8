import type { OrderStatusMessage, PaymentUpdatedMessage } from '../../../../../realtime/src/contract';
import type { RealtimeSocket } from './socket';

export type { OrderStatusMessage, PaymentUpdatedMessage };

/** Which orders a page cares about: one order, one checkout's orders, or (empty) all of the user's. */
export interface OrderActivityFilter {
  orderId?: string;
  checkoutId?: string;
}

/**
 * Calls `onActivity` when an order or payment matching `filter` changes (`order.status_changed`,
 * `payment.updated`), and after the socket reconnects, since messages sent while it was down are lost.
 * Returns the unsubscribe function.
 */
export function onOrderActivity(
  socket: RealtimeSocket,
  filter: OrderActivityFilter,
  onActivity: () => void,
): () => void {
  const matches = (message: { checkoutId: string; orderId?: string }) =>
    (!filter.orderId || message.orderId === filter.orderId) &&
    (!filter.checkoutId || message.checkoutId === filter.checkoutId);
  const onOrder = (message: OrderStatusMessage) => {
    if (matches(message)) onActivity();
  };
  const onPayment = (message: PaymentUpdatedMessage) => {
    // A payment belongs to a checkout, not to one order: it concerns every order of that checkout.
    if (!filter.checkoutId || message.checkoutId === filter.checkoutId) onActivity();
  };
  const onReconnect = () => onActivity();
  socket.on('order.status_changed', onOrder);
  socket.on('payment.updated', onPayment);
  socket.on('connect', onReconnect);
  return () => {
    socket.off('order.status_changed', onOrder);
    socket.off('payment.updated', onPayment);
    socket.off('connect', onReconnect);
  };
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
