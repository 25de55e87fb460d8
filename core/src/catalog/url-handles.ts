import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { ConflictError, isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import {
  catalogMaintenanceModel,
  productModel,
  urlHandleClaimModel,
  type ProductDoc,
  type UrlHandleClaimDoc,
} from './model';

/**
 * Public URL handles: `/p/<urlHandle>`, one per product, unique across the marketplace (the seller's
 * `handle` is unique only within their shop). Derived readably from the product, claimed by a unique `_id`
 * insert in `product_url_handles` (FerretDB applies a conditional update by read-modify-write, so an
 * insert is the only race-proof claim), and never given back: a deleted product's URL stays its own.
 */

/** What a URL handle may look like: lower-case ASCII words joined by single hyphens. */
export const URL_HANDLE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Longest readable part; a suffix may follow it. */
const MAX_BASE_LENGTH = 60;
/** Suffixed candidates tried after the readable one; at 32⁶ values each, running out means a bug. */
const SUFFIXED_ATTEMPTS = 8;
/** Letters and digits that cannot be misread for one another (no l/1, o/0). */
const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A lower-case ASCII slug: accents folded (é → e), every other run of non-alphanumerics one hyphen. */
export function urlSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_BASE_LENGTH) return slug;
  // Cut at a word boundary when one is near enough to keep most of the name.
  const head = slug.slice(0, MAX_BASE_LENGTH + 1);
  const boundary = head.lastIndexOf('-');
  return (boundary >= MAX_BASE_LENGTH / 2 ? head.slice(0, boundary) : slug.slice(0, MAX_BASE_LENGTH)).replace(
    /-+$/,
    '',
  );
}

/** Six characters derived from the product id and the attempt: stable, so every retry asks the same. */
function stableSuffix(productId: string, attempt: number): string {
  const digest = createHash('sha256').update(`${productId}:${attempt}`).digest();
  return [...digest.subarray(0, 6)].map((byte) => SUFFIX_ALPHABET[byte % 32]).join('');
}

/**
 * The URL handles a product asks for, in order: the slug of the seller's handle when they chose one (an
 * unset handle is the product id), else of the name; then that slug with a suffix derived from the id.
 * A name without Latin letters or digits (a Chinese-only name, with no pinyin library here) has no slug:
 * it goes straight to `item-<suffix>`, short and stable, rather than claiming a bare word for one product.
 * The order is a pure function of the product, so two processes claiming for one product converge on
 * the same handle (the first in the order that is free or already its own).
 */
export function* urlHandleCandidates(product: { id: string; handle: string; name: string }) {
  const base = (product.handle !== product.id ? urlSlug(product.handle) : '') || urlSlug(product.name);
  if (base) yield base;
  for (let attempt = 1; attempt <= SUFFIXED_ATTEMPTS; attempt++)
    yield `${base || 'item'}-${stableSuffix(product.id, attempt)}`;
}

type HandleSource = { id: string; handle: string; name: string };

/** The backfill's `catalog_maintenance` entry: once written, start-ups skip the scan. */
const BACKFILL_DONE = 'url-handles-backfill';

export function createUrlHandles(deps: { connection: Connection; bus: EventBus; clock?: Clock }) {
  const Claims = urlHandleClaimModel(deps.connection);
  const Products = productModel(deps.connection);
  const Maintenance = catalogMaintenanceModel(deps.connection);
  const now = deps.clock ?? systemClock;

  /**
   * Claims the first free URL handle for the product and returns it. A claim that already names this
   * product is kept: left by an interrupted earlier create with the same id, or by another process's
   * backfill of the same product.
   */
  async function claim(product: HandleSource): Promise<string> {
    for (const candidate of urlHandleCandidates(product)) {
      try {
        await Claims.create({ _id: candidate, productId: product.id });
        return candidate;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const holder = await Claims.findById(candidate).lean<UrlHandleClaimDoc>();
        if (holder?.productId === product.id) return candidate;
      }
    }
    throw new ConflictError('No free URL handle for this product; try another handle', {
      fields: [{ field: 'body.handle', message: 'no free URL handle' }],
    });
  }

  /**
   * Seeding: URL handles for many new products with one bulk insert; the few whose handle another batch
   * already holds fall back to `claim`. Returns product id → URL handle.
   */
  async function claimMany(products: HandleSource[]): Promise<Map<string, string>> {
    const chosen = new Map<string, string>();
    const taken = new Set<string>();
    for (const product of products) {
      for (const candidate of urlHandleCandidates(product)) {
        if (taken.has(candidate)) continue;
        taken.add(candidate);
        chosen.set(product.id, candidate);
        break;
      }
    }
    const claims = products.map((p) => ({ _id: chosen.get(p.id)!, productId: p.id }));
    const failed = new Set<number>();
    try {
      await Claims.insertMany(claims, { ordered: false, lean: true });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as
        | ({ index?: number; code?: number; err?: { index?: number; code?: number } } | undefined)[]
        | undefined;
      if (!writeErrors || !errors) throw err;
      for (const e of errors) {
        const index = e?.index ?? e?.err?.index;
        const code = e?.code ?? e?.err?.code;
        if (index === undefined || code !== 11000) throw err;
        failed.add(index);
      }
    }
    for (const index of failed) {
      const product = products[index]!;
      chosen.set(product.id, await claim(product));
    }
    return chosen;
  }

  /** Gives back a claim this product made (a create that failed after claiming). */
  async function release(urlHandle: string, productId: string): Promise<void> {
    const holder = await Claims.findById(urlHandle).lean<UrlHandleClaimDoc>();
    if (holder?.productId === productId) await Claims.deleteOne({ _id: urlHandle });
  }

  /** The product id a URL handle names (deleted products included), by one `_id` read; null if none. */
  async function productIdOf(urlHandle: string): Promise<string | null> {
    if (!URL_HANDLE_PATTERN.test(urlHandle)) return null;
    const holder = await Claims.findById(urlHandle).lean<UrlHandleClaimDoc>();
    return holder?.productId ?? null;
  }

  /**
   * Gives one product found without a URL handle its handle, as an edit: version bumped and
   * `product.updated` published, so the listings, search and sitemap follow. Returns whether it wrote.
   */
  async function assign(doc: Pick<ProductDoc, '_id' | 'sellerId' | 'handle' | 'name'>): Promise<boolean> {
    const urlHandle = await claim({ id: doc._id, handle: doc.handle, name: doc.name });
    const current = await Products.findById(doc._id, { version: 1, status: 1, urlHandle: 1 }).lean<
      Pick<ProductDoc, 'version' | 'status' | 'urlHandle'>
    >();
    // Deleted meanwhile, or given its handle by another process's backfill (the same one: see claim).
    if (!current || current.status !== 'active' || current.urlHandle) return false;
    const version = current.version + 1;
    await Products.updateOne({ _id: doc._id }, { $set: { urlHandle, version, updatedAt: now() } });
    await deps.bus.publish('product.updated', { productId: doc._id, sellerId: doc.sellerId, version });
    return true;
  }

  /** One pass over the products, a cursor batch at a time; returns how many it gave a handle. */
  async function backfillPass(batchSize: number, signal?: AbortSignal): Promise<number> {
    let assigned = 0;
    const cursor = Products.find({}, { _id: 1, sellerId: 1, handle: 1, name: 1, status: 1, urlHandle: 1 })
      .lean<ProductDoc[]>()
      .cursor({ batchSize });
    let batch: ProductDoc[] = [];
    const flush = async () => {
      for (const doc of batch) if (await assign(doc)) assigned++;
      batch = [];
    };
    try {
      for await (const doc of cursor as AsyncIterable<ProductDoc>) {
        if (signal?.aborted) break;
        if (doc.status !== 'active' || doc.urlHandle) continue;
        batch.push(doc);
        if (batch.length >= batchSize) await flush();
      }
      if (!signal?.aborted) await flush();
    } finally {
      await cursor.close();
    }
    return assigned;
  }

  return {
    claim,
    claimMany,
    release,
    productIdOf,

    /**
     * Gives every active product written before URL handles existed its handle, in bounded batches.
     * Idempotent and safe with several processes at once (claims converge, see `claim`). Passes repeat
     * until one finds nothing to do: a seller's save racing a backfill write on FerretDB (read-modify-
     * write, see ARCHITECTURE.md) can drop the handle again, and the next pass restores the same one.
     * Then a `catalog_maintenance` entry lets later start-ups skip the scan.
     */
    async backfill(
      opts: { batchSize?: number; log?: Logger; signal?: AbortSignal } = {},
    ): Promise<{ assigned: number; skipped: boolean }> {
      if (await Maintenance.findById(BACKFILL_DONE).lean()) return { assigned: 0, skipped: true };
      let assigned = 0;
      for (;;) {
        const pass = await backfillPass(opts.batchSize ?? 200, opts.signal);
        if (opts.signal?.aborted) return { assigned: assigned + pass, skipped: false };
        assigned += pass;
        if (pass === 0) break;
        opts.log?.info({ assigned }, 'product URL handles backfilled so far');
      }
      try {
        await Maintenance.create({ _id: BACKFILL_DONE, completedAt: now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      return { assigned, skipped: false };
    },
  };
}

export type UrlHandles = ReturnType<typeof createUrlHandles>;
