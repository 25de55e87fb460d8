import type { Connection } from 'mongoose';
import { createLedger, type LedgerEntry } from '../ledger';
import type { PointsReason } from './types';
import { type Clock } from '../clock';

/**
 * The points ledger: one immutable entry per movement, `_id` = `<userId>:<version>`, with the balance
 * and lifetime earned points after it. Built on the generic ledger (ledger.ts explains why unique-key
 * inserts rather than `$inc`): a balance check in `decide` holds across concurrent requests and processes.
 */
export interface PointsMovementDoc extends LedgerEntry {
  userId: string;
  delta: number;
  /** Never below zero. */
  balance: number;
  /** The sum of `earn` movements (less revoked ones): what the tier is based on. */
  lifetimeEarned: number;
  reason: PointsReason;
  note: string;
}

export function pointsLedger(connection: Connection, clock?: Clock) {
  return createLedger<PointsMovementDoc>({
    connection,
    collection: 'points_movements',
    heads: 'points_heads',
    keyField: 'userId',
    clock,
  });
}
