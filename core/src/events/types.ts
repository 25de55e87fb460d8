/**
 * Every domain event, by name. Payloads carry ids and versions so a consumer can drop stale or repeated
 * deliveries (an event bus adapter may deliver more than once).
 */
export interface DomainEvents {
  'product.created': { productId: string; sellerId: string; version: number };
  'product.updated': { productId: string; sellerId: string; version: number };
  'product.deleted': { productId: string; sellerId: string };
  /** Published on every stock change of one SKU; `version` is the ledger version that produced it. */
  'stock.changed': {
    productId: string;
    sellerId: string;
    sku: string;
    available: number;
    version: number;
    at: string;
  };
  'import.progress': ImportProgressEvent;
  /** Every event in an order's stream (a status change or a refund). */
  'order.status_changed': {
    orderId: string;
    checkoutId: string;
    buyerId: string;
    sellerId: string;
    status: string;
    event: 'created' | 'status' | 'refund';
    version: number;
    at: string;
  };
  /** A payment's state changed (for the shopper's checkout page). */
  'payment.updated': { paymentId: string; checkoutId: string; buyerId: string; status: string; at: string };
  /**
   * A review was added, hidden, shown again or replied to. `version` is the product's rating aggregate
   * version that includes the change (a reply leaves the aggregate, and so the version, as it was).
   */
  'review.changed': { productId: string; reviewId: string; version: number };
}

export interface ImportProgressEvent {
  importId: string;
  sellerId: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
}

export type DomainEventName = keyof DomainEvents;
export type DomainEventHandler<K extends DomainEventName> = (
  payload: DomainEvents[K],
) => void | Promise<void>;
