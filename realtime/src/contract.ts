/**
 * The realtime contract, defined once and imported by the server and the Svelte app.
 * Rooms: `product:<id>` (anyone viewing the product), `seller:<id>` (that seller's own sessions).
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

export interface ServerToClientEvents {
  'stock.changed': (message: StockChangedMessage) => void;
  'import.progress': (message: ImportProgressMessage) => void;
}

export interface ClientToServerEvents {
  /** Start receiving `stock.changed` for these products (at most 200 ids per call). */
  'products:watch': (productIds: string[], ack?: (result: { ok: boolean; error?: string }) => void) => void;
  'products:unwatch': (productIds: string[]) => void;
}

export const MAX_WATCHED_PER_CALL = 200;
