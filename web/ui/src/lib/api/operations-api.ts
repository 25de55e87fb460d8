import type { HttpClient } from './http-client';
import type { Order, OrderStatus, OrderSummary, RefundInput, ShipInput } from './wire';

/** The server's largest list page; lists here are "the latest N", without cursors. */
export const MAX_ORDER_LIST = 200;

export interface OrderListQuery {
  status?: OrderStatus;
  limit?: number;
}

/** Order work for sellers (their queue) and support staff (lookup, cancel, refund). */
export interface OperationsApi {
  sellerOrders(query: OrderListQuery, signal?: AbortSignal): Promise<OrderSummary[]>;
  /** `q`: an order id or number, a buyer or seller id; without it, the latest orders (by status). */
  supportOrders(query: OrderListQuery & { q?: string }, signal?: AbortSignal): Promise<OrderSummary[]>;
  getOrder(id: string, signal?: AbortSignal): Promise<Order>;
  accept(id: string): Promise<Order>;
  ship(id: string, input: ShipInput): Promise<Order>;
  markDelivered(id: string): Promise<Order>;
  cancel(id: string, reason: string): Promise<Order>;
  /** `idempotencyKey`: one per refund attempt, reused when retrying it, so a retry cannot refund twice. */
  refund(id: string, input: RefundInput, idempotencyKey: string): Promise<Order>;
}

export function createOperationsApi(http: HttpClient): OperationsApi {
  const order = (id: string) => `/api/orders/${encodeURIComponent(id)}` as const;
  const list = async (
    path: '/api/seller/orders' | '/api/support/orders',
    query: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ) => (await http.get(path, { query, signal })).items;
  return {
    sellerOrders: (query, signal) => list('/api/seller/orders', { ...query }, signal),
    supportOrders: (query, signal) => list('/api/support/orders', { ...query }, signal),
    getOrder: (id, signal) => http.get(order(id), { signal }),
    accept: (id) => http.send('POST', `${order(id)}/accept`),
    ship: (id, input) => http.send('POST', `${order(id)}/ship`, { json: input }),
    markDelivered: (id) => http.send('POST', `${order(id)}/deliver`),
    cancel: (id, reason) => http.send('POST', `${order(id)}/cancel`, { json: { reason } }),
    refund: (id, input, idempotencyKey) =>
      http.send('POST', `${order(id)}/refunds`, {
        json: input,
        headers: { 'idempotency-key': idempotencyKey },
      }),
  };
}
