import type { Connection } from 'mongoose';
import { createLedger, type LedgerEntry } from '../ledger';
import type { StockMovementReason } from './types';
import { type Clock } from '../clock';

/**
 * The stock ledger: one immutable entry per movement, `_id` = `<sku>:<version>`, with the available
 * count after it. Built on the generic ledger (see ledger.ts for why unique-key inserts, not `$inc`).
 */
export interface StockMovementDoc extends LedgerEntry {
  sku: string;
  productId: string;
  sellerId: string;
  delta: number;
  available: number;
  reason: StockMovementReason;
  actorId: string | null;
}

export function stockLedger(connection: Connection, clock?: Clock) {
  return createLedger<StockMovementDoc>({
    connection,
    collection: 'stock_movements',
    heads: 'stock_heads',
    keyField: 'sku',
    clock,
  });
}
