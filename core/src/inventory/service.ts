import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import { stockHeadModel, stockMovementModel, type StockMovementDoc } from './model';
import type { StockChangeResult, StockLevel, StockMovementReason } from './types';

const MAX_RACE_RETRIES = 50;

export interface StockOwner {
  sku: string;
  productId: string;
  sellerId: string;
}

/**
 * Per-SKU inventory on an append-only ledger (see model.ts for why). The current level of a SKU is its
 * latest ledger entry; every change publishes `stock.changed`.
 */
export function createInventoryService(deps: { connection: Connection; bus: EventBus; clock?: () => Date }) {
  const Movements = stockMovementModel(deps.connection);
  const Heads = stockHeadModel(deps.connection);
  const now = deps.clock ?? (() => new Date());

  type Head = Pick<StockMovementDoc, 'sku' | 'productId' | 'sellerId' | 'version' | 'available'>;

  /** The latest ledger entry of a SKU: start at the head hint, then step forward by `_id` lookups. */
  async function latest(sku: string): Promise<Head | null> {
    const hint = await Heads.findById(sku).lean();
    let head: Head | null = hint
      ? {
          sku,
          productId: hint.productId,
          sellerId: hint.sellerId,
          version: hint.version,
          available: hint.available,
        }
      : null;
    for (;;) {
      const next = await Movements.findById(`${sku}:${(head?.version ?? 0) + 1}`).lean<StockMovementDoc>();
      if (!next) break;
      head = next;
    }
    if (head && (!hint || hint.version < head.version)) await moveHint(head);
    return head;
  }

  async function moveHint(head: Head): Promise<void> {
    // A plain write: a late writer may set an older version, which only costs a later reader a step.
    const set = {
      version: head.version,
      available: head.available,
      productId: head.productId,
      sellerId: head.sellerId,
    };
    try {
      await Heads.updateOne({ _id: head.sku }, { $set: set }, { upsert: true });
    } catch (err) {
      // Two first writers both tried to insert the hint; the other one's insert won, so update it.
      if (!isDuplicateKeyError(err)) throw err;
      await Heads.updateOne({ _id: head.sku }, { $set: set });
    }
  }

  function toLevel(doc: Head | null, owner: StockOwner): StockLevel {
    return doc
      ? { sku: doc.sku, productId: doc.productId, available: doc.available, version: doc.version }
      : { sku: owner.sku, productId: owner.productId, available: 0, version: 0 };
  }

  /**
   * Appends one movement computed from the latest entry by `next` (which returns the new available
   * count, or null to refuse). Retries when another writer appended the same version first.
   */
  async function append(
    owner: StockOwner,
    reason: StockMovementReason,
    actorId: string | null,
    next: (current: number) => number | null,
  ): Promise<StockChangeResult> {
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const head = await latest(owner.sku);
      const current = head?.available ?? 0;
      const target = next(current);
      if (target === null) return { ok: false, reason: 'insufficient_stock', level: toLevel(head, owner) };
      if (target === current && head) return { ok: true, level: toLevel(head, owner), changed: false };
      const version = (head?.version ?? 0) + 1;
      const entry: StockMovementDoc = {
        _id: `${owner.sku}:${version}`,
        sku: owner.sku,
        productId: owner.productId,
        sellerId: owner.sellerId,
        version,
        delta: target - current,
        available: target,
        reason,
        actorId,
        at: now(),
      };
      try {
        await Movements.create(entry);
      } catch (err) {
        if (isDuplicateKeyError(err)) continue;
        throw err;
      }
      await moveHint(entry);
      await deps.bus.publish('stock.changed', {
        productId: owner.productId,
        sellerId: owner.sellerId,
        sku: owner.sku,
        available: target,
        version,
        at: entry.at.toISOString(),
      });
      return { ok: true, level: toLevel(entry, owner), changed: true };
    }
    throw new Error(`stock ledger for ${owner.sku} is too contended (${MAX_RACE_RETRIES} retries)`);
  }

  return {
    /** Sets the available count (a seller's stock take). */
    setStock(
      owner: StockOwner,
      available: number,
      actorId: string | null,
      reason: StockMovementReason = 'set',
    ) {
      return append(owner, reason, actorId, () => available);
    },

    /** Adds (positive) or removes (negative) units; refuses to go below zero. */
    adjustStock(
      owner: StockOwner,
      delta: number,
      actorId: string | null,
      reason: StockMovementReason = 'adjust',
    ) {
      return append(owner, reason, actorId, (current) => (current + delta < 0 ? null : current + delta));
    },

    async getLevel(owner: StockOwner): Promise<StockLevel> {
      return toLevel(await latest(owner.sku), owner);
    },

    /** Current levels of many SKUs (missing SKUs have no entry yet and count as zero). */
    async getLevels(skus: string[]): Promise<Map<string, StockLevel>> {
      const levels = new Map<string, StockLevel>();
      // `_id` lookups per SKU: FerretDB pushes down `_id` equality only, not `$in`.
      await Promise.all(
        skus.map(async (sku) => {
          const head = await latest(sku);
          if (head)
            levels.set(sku, toLevel(head, { sku, productId: head.productId, sellerId: head.sellerId }));
        }),
      );
      return levels;
    },

    /** The latest movements of a SKU, newest first (walked back by `_id`). */
    async history(sku: string, limit = 50): Promise<StockMovementDoc[]> {
      const head = await latest(sku);
      if (!head) return [];
      const versions = Array.from({ length: Math.min(limit, head.version) }, (_, i) => head.version - i);
      const docs = await Promise.all(
        versions.map((v) => Movements.findById(`${sku}:${v}`).lean<StockMovementDoc>()),
      );
      return docs.filter((d): d is StockMovementDoc => d !== null);
    },

    /** Seeding: the first entry for many SKUs at once (no race: the SKUs are new). */
    async seedInitial(entries: (StockOwner & { available: number })[]) {
      const at = now();
      const docs: StockMovementDoc[] = entries.map((e) => ({
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
      }));
      if (!docs.length) return;
      await Movements.insertMany(docs, { ordered: false, lean: true });
      await Heads.insertMany(
        docs.map((d) => ({
          _id: d.sku,
          version: 1,
          available: d.available,
          productId: d.productId,
          sellerId: d.sellerId,
        })),
        { ordered: false, lean: true },
      );
    },
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
