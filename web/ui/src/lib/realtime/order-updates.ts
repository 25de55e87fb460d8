import type { OrderStatusMessage } from '../../../../../realtime/src/contract';
import type { RealtimeSocket } from './socket';

export type { OrderStatusMessage };

export interface OrderEventHandlers {
  /** An order this session may see changed (status, refund or creation); read it again for details. */
  onChange(message: OrderStatusMessage): void;
  /**
   * The socket (re)connected, e.g. after a network drop or a login: messages sent while it was down are
   * lost, so whatever is on screen should be read again.
   */
  onResync?(): void;
  onConnectionChange?(connected: boolean): void;
}

/**
 * Follows `order.status_changed` on the shared socket. The server routes it by room: a buyer gets their
 * orders, a seller their shop's, support and admins every order. Returns the unsubscribe function.
 */
export function followOrderEvents(socket: RealtimeSocket, handlers: OrderEventHandlers): () => void {
  const onChange = (message: OrderStatusMessage) => handlers.onChange(message);
  const onConnect = () => {
    handlers.onConnectionChange?.(true);
    handlers.onResync?.();
  };
  const onDisconnect = () => handlers.onConnectionChange?.(false);
  socket.on('order.status_changed', onChange);
  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  handlers.onConnectionChange?.(socket.connected);
  return () => {
    socket.off('order.status_changed', onChange);
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
  };
}

/**
 * Runs `task` once, a moment after the last call: a checkout with several shops, or a burst of status
 * changes, becomes one re-read instead of many.
 */
export function coalesce(task: () => void, delayMs = 150): { schedule(): void; cancel(): void } {
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
