export interface StockLevel {
  sku: string;
  productId: string;
  /** Units a shopper can buy now (reserved units are already taken out). */
  available: number;
  /** Version of the ledger entry this level comes from; grows by one with every movement. */
  version: number;
}

export type StockMovementReason =
  'set' | 'adjust' | 'import' | 'seed' | 'sale' | 'reservation' | 'release' | 'return';

export type StockChangeResult =
  | { ok: true; level: StockLevel; changed: boolean }
  | { ok: false; reason: 'insufficient_stock'; level: StockLevel };
