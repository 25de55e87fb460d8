import type { Connection } from 'mongoose';
import type { EventBus } from '../events';
import type { AppendOptions } from '../ledger/ledger';
import { stockLedger, type StockMovementDoc } from './model';
import type { StockChangeResult, StockLevel, StockMovementReason } from './types';
import { type Clock, systemClock } from '../clock';

export interface StockOwner {
  sku: string;
  productId: string;
  sellerId: string;
}

/**
 * Per-SKU inventory on an append-only ledger. The current level of a SKU is its latest entry; every
 * change publishes `stock.changed`.
 */
export function createInventoryService(deps: { connection: Connection; bus: EventBus; clock?: Clock }) {
  const ledger = stockLedger(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  function toLevel(
    doc: Pick<StockMovementDoc, 'sku' | 'productId' | 'available' | 'version'> | null,
    owner: StockOwner,
  ): StockLevel {
    return doc
      ? { sku: doc.sku, productId: doc.productId, available: doc.available, version: doc.version }
      : { sku: owner.sku, productId: owner.productId, available: 0, version: 0 };
  }

  /**
   * Appends one movement computed from the latest entry by `next` (the new available count, or null to
   * refuse). With `opts.ref` and `opts.since` the movement is applied at most once (saga steps).
   */
  async function move(
    owner: StockOwner,
    reason: StockMovementReason,
    actorId: string | null,
    next: (current: number) => number | null,
    opts?: AppendOptions & { once?: string },
  ): Promise<StockChangeResult> {
    const decide = (head: StockMovementDoc | null) => {
      const current = head?.available ?? 0;
      const target = next(current);
      if (target === null || target < 0) return null;
      if (target === current && head) return 'unchanged';
      return {
        sku: owner.sku,
        productId: owner.productId,
        sellerId: owner.sellerId,
        delta: target - current,
        available: target,
        reason,
        actorId,
      };
    };
    const result = opts?.once
      ? await ledger.appendOnce(owner.sku, opts.once, decide)
      : await ledger.append(owner.sku, decide, opts);
    switch (result.status) {
      case 'refused':
        return { ok: false, reason: 'insufficient_stock', level: toLevel(result.head, owner) };
      case 'unchanged':
      case 'already':
        return { ok: true, level: toLevel(result.entry, owner), changed: false };
      case 'appended': {
        const entry = result.entry;
        await deps.bus.publish('stock.changed', {
          productId: owner.productId,
          sellerId: owner.sellerId,
          sku: owner.sku,
          available: entry.available,
          previousAvailable: entry.available - entry.delta,
          version: entry.version,
          at: entry.at.toISOString(),
        });
        return { ok: true, level: toLevel(entry, owner), changed: true };
      }
    }
  }

  return {
    /** Sets the available count (a seller's stock take). */
    setStock(
      owner: StockOwner,
      available: number,
      actorId: string | null,
      reason: StockMovementReason = 'set',
    ) {
      return move(owner, reason, actorId, () => available);
    },

    /** Adds (positive) or removes (negative) units; refuses to go below zero. */
    adjustStock(
      owner: StockOwner,
      delta: number,
      actorId: string | null,
      reason: StockMovementReason = 'adjust',
      opts?: AppendOptions,
    ) {
      return move(owner, reason, actorId, (current) => (current + delta < 0 ? null : current + delta), opts);
    },

    /**
     * Adds or removes units exactly once for `ref` (a saga step such as `hold:<reservationId>`), however
     * often it is retried or raced, even across a crash.
     */
    adjustStockOnce(owner: StockOwner, delta: number, ref: string, reason: StockMovementReason) {
      return move(owner, reason, null, (current) => (current + delta < 0 ? null : current + delta), {
        once: ref,
      });
    },

    /** Whether the movement `ref` of `adjustStockOnce` has been applied. */
    async wasApplied(sku: string, ref: string): Promise<boolean> {
      return (await ledger.applied(sku, ref)) !== null;
    },

    async getLevel(owner: StockOwner): Promise<StockLevel> {
      return toLevel(await ledger.latest(owner.sku), owner);
    },

    /** Current levels of many SKUs (missing SKUs have no entry yet and count as zero). */
    async getLevels(skus: string[]): Promise<Map<string, StockLevel>> {
      const levels = new Map<string, StockLevel>();
      // `_id` lookups per SKU: FerretDB pushes down `_id` equality only, not `$in`.
      await Promise.all(
        skus.map(async (sku) => {
          const head = await ledger.latest(sku);
          if (head)
            levels.set(sku, toLevel(head, { sku, productId: head.productId, sellerId: head.sellerId }));
        }),
      );
      return levels;
    },

    /** The latest movements of a SKU, newest first. */
    history(sku: string, limit = 50): Promise<StockMovementDoc[]> {
      return ledger.history(sku, limit);
    },

    /** Seeding: the first entry for many SKUs at once (no race: the SKUs are new). */
    async seedInitial(entries: (StockOwner & { available: number })[]) {
      const at = now();
      await ledger.seed(
        entries.map((e) => ({
          _id: `${e.sku}:1`,
          sku: e.sku,
          productId: e.productId,
          sellerId: e.sellerId,
          version: 1,
          delta: e.available,
          available: e.available,
          reason: 'seed',
          actorId: null,
          at,
          ref: null,
        })),
      );
    },
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
