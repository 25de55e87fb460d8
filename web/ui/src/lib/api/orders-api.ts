import type { Order, OrderStatus, OrderSummary } from './wire';
import type { HttpClient } from './http-client';

/** The shopper's orders and the moves a buyer may make on them. */
export interface OrdersApi {
  mine(status?: OrderStatus | null): Promise<OrderSummary[]>;
  get(orderId: string): Promise<Order>;
  cancel(orderId: string, reason: string): Promise<Order>;
  /** The buyer confirms receipt. */
  confirmReceipt(orderId: string): Promise<Order>;
}

export function createOrdersApi(http: HttpClient): OrdersApi {
  const order = (id: string) => `/api/orders/${encodeURIComponent(id)}` as const;
  return {
    async mine(status) {
      const { items } = await http.get('/api/orders', {
        query: { status: status ?? undefined, limit: 200 },
      });
      return items;
    },
    get: (orderId) => http.get(order(orderId)),
    cancel: (orderId, reason) => http.send('POST', `${order(orderId)}/cancel`, { json: { reason } }),
    confirmReceipt: (orderId) => http.send('POST', `${order(orderId)}/complete`),
  };
}
