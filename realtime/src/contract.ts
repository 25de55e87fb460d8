/**
 * The realtime contract, defined once and imported by the server and the Svelte app.
 * Rooms: `product:<id>` (anyone viewing the product), `seller:<id>` (that seller's own sessions),
 * `user:<id>` (every session of that user: their orders and payments), `support` (support and admins).
 */
export interface StockChangedMessage {
  productId: string;
  sku: string;
  available: number;
  version: number;
  at: string;
}

export interface ImportProgressMessage {
  importId: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
}

/** An order's status changed or it was refunded; fetch the order for details. */
export interface OrderStatusMessage {
  orderId: string;
  checkoutId: string;
  status: string;
  event: 'created' | 'status' | 'refund';
  version: number;
  at: string;
}

export interface PaymentUpdatedMessage {
  paymentId: string;
  checkoutId: string;
  status: string;
  at: string;
}

export interface ServerToClientEvents {
  'stock.changed': (message: StockChangedMessage) => void;
  'import.progress': (message: ImportProgressMessage) => void;
  /** To the buyer, the order's seller and support. */
  'order.status_changed': (message: OrderStatusMessage) => void;
  /** To the paying shopper. */
  'payment.updated': (message: PaymentUpdatedMessage) => void;
}

export interface ClientToServerEvents {
  /** Start receiving `stock.changed` for these products (at most 200 ids per call). */
  'products:watch': (productIds: string[], ack?: (result: { ok: boolean; error?: string }) => void) => void;
  'products:unwatch': (productIds: string[]) => void;
}

export const MAX_WATCHED_PER_CALL = 200;
