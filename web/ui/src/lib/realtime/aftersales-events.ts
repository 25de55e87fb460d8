import type { AfterSalesUpdatedMessage } from '@market/realtime/contract';
import { followConnection } from './connection';
import type { SellerSocket, ShopSocket, SupportSocket } from './socket';

export type { AfterSalesUpdatedMessage };

/**
 * Calls `onActivity` when an after-sales request matching `filter` moves (and after a reconnect, when
 * something may have been missed). The server sends `aftersales.updated` to the buyer, the order's seller
 * and support; the order's refund itself also arrives as `order.status_changed`.
 */
export function onAfterSalesActivity(
  s: ShopSocket | SellerSocket | SupportSocket,
  filter: { requestId?: string; orderId?: string },
  onActivity: (message: AfterSalesUpdatedMessage | null) => void,
): () => void {
  const socket = s as ShopSocket;
  const handler = (message: AfterSalesUpdatedMessage) => {
    if (filter.requestId && message.requestId !== filter.requestId) return;
    if (filter.orderId && message.orderId !== filter.orderId) return;
    onActivity(message);
  };
  socket.on('aftersales.updated', handler);
  const stop = followConnection(socket, { onResync: () => onActivity(null) });
  return () => {
    socket.off('aftersales.updated', handler);
    stop();
  };
}
