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
