import type { Connection } from 'mongoose';
import type { Actor, CatalogService } from '../catalog';
import { type Clock, systemClock } from '../clock';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import type { InventoryService, StockOwner } from '../inventory';
import type { Logger } from '../logger';
import type { AdmissionPort } from './admission';
import { flashSaleModel, type FlashSaleDoc } from './model';
import { OpenSalesCache, type OpenSale } from './open-sales';
import type {
  AdmissionSale,
  ClaimAnswer,
  FlashClaimLine,
  FlashSale,
  FlashSaleInput,
  LiveFlashPrice,
} from './types';

/** Frequent job: lapsed claims back to the pool (and their counts published), ended sales closed. */
export const FLASH_SWEEP_JOB = 'flash.sweep';

const MAX_QUANTITY = 100_000;

function toSale(doc: FlashSaleDoc): FlashSale {
  return {
    id: doc._id,
    sku: doc.sku,
    productId: doc.productId,
    sellerId: doc.sellerId,
    salePrice: doc.salePrice,
    normalPrice: doc.normalPrice,
    quantity: doc.quantity,
    perPersonLimit: doc.perPersonLimit,
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    status: doc.status,
    cancelled: doc.cancelled,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
  };
}

const toAdmission = (doc: FlashSaleDoc): AdmissionSale => ({
  id: doc._id,
  quantity: doc.quantity,
  perPersonLimit: doc.perPersonLimit,
  startsAtMs: doc.startsAt.getTime(),
  endsAtMs: doc.endsAt.getTime(),
});

const owner = (doc: FlashSaleDoc): StockOwner => ({
  sku: doc.sku,
  productId: doc.productId,
  sellerId: doc.sellerId,
});

/**
 * Flash sales (秒杀). A sale takes its units out of normal stock when created (one ledger movement), so
 * normal checkout cannot sell them and the sale cannot sell more than existed. Buyers press "claim"; the
 * admission port answers from Redis (or memory) alone. Unpaid claims lapse back to the pool; a sale that
 * ends or is cancelled puts its unsold units back in stock, exactly once.
 */
export function createFlashSaleService(deps: {
  connection: Connection;
  bus: EventBus;
  catalog: CatalogService;
  inventory: InventoryService;
  admission: AdmissionPort;
  log: Logger;
  claimMs: number;
  /** How long the open sales may be answered from memory (events drop the copy sooner; open-sales.ts). */
  listCacheMs?: number;
  clock?: Clock;
}) {
  const Sales = flashSaleModel(deps.connection);
  const clock = deps.clock ?? systemClock;
  /** Sales this process has opened in the admission store (claims then never read the document store). */
  const opened = new Map<string, FlashSaleDoc>();

  const openSales = new OpenSalesCache(deps.listCacheMs ?? 5_000, loadOpen);
  // Other processes' creates and closes (this process forgets its own before answering), and the units
  // left after every claim, lapse and close on any process.
  deps.bus.subscribe('flash.changed', (e) => {
    if (e.status === 'closed') opened.delete(e.saleId);
    openSales.forget();
  });
  deps.bus.subscribe('flash.remaining', (e) => openSales.setRemaining(e.saleId, e.remaining));

  const isHeld = (doc: FlashSaleDoc) => deps.inventory.wasApplied(doc.sku, `flash-hold:${doc._id}`);

  async function load(id: string): Promise<FlashSaleDoc> {
    const cached = opened.get(id);
    if (cached) return cached;
    const doc = await Sales.findById(id).lean<FlashSaleDoc>();
    if (!doc) throw new NotFoundError('Flash sale');
    if (doc.status === 'open') {
      // A creation cut short between its record and its hold has no units to sell: never admit to it.
      if (!(await isHeld(doc))) throw new ConflictError('This flash sale is not open for claims');
      await deps.admission.open(toAdmission(doc));
      opened.set(id, doc);
    }
    return doc;
  }

  /** The open sales not yet past their end that can take claims, with their units left (one scan). */
  async function loadOpen(): Promise<OpenSale[]> {
    const now = clock();
    const docs = await Sales.find({ status: 'open' }).lean<FlashSaleDoc[]>();
    const listed = await Promise.all(
      docs
        .filter((d) => d.endsAt > now)
        .map(async (doc) => {
          const loaded = await load(doc._id).catch((err: unknown) => {
            if (err instanceof ConflictError) return null;
            throw err;
          });
          if (!loaded) return null;
          return { doc: loaded, remaining: (await deps.admission.remaining(doc._id)) ?? doc.quantity };
        }),
    );
    return listed
      .filter((sale) => sale !== null)
      .sort((a, b) => +a.doc.startsAt - +b.doc.startsAt || (a.doc._id < b.doc._id ? -1 : 1));
  }

  /** Upcoming and live sales (of one product, or all), from the cached list; units left live. */
  async function listOpen(productId?: string): Promise<(FlashSale & { remaining: number })[]> {
    const now = clock();
    const snapshot = await openSales.read(now.getTime());
    const sales = productId === undefined ? snapshot.sales : (snapshot.byProduct.get(productId) ?? []);
    return Promise.all(
      sales
        .filter((sale) => sale.doc.endsAt > now)
        .map(async ({ doc, remaining }) => ({
          ...toSale(doc),
          remaining: (await deps.admission.remaining(doc._id)) ?? remaining,
        })),
    );
  }

  async function announce(doc: FlashSaleDoc, status: 'open' | 'closed') {
    openSales.forget();
    await deps.bus
      .publish('flash.changed', {
        saleId: doc._id,
        productId: doc.productId,
        status,
        at: clock().toISOString(),
      })
      .catch((err: unknown) => deps.log.warn({ err, saleId: doc._id }, 'could not publish flash change'));
  }

  async function publishRemaining(doc: FlashSaleDoc, remaining: number) {
    await deps.bus
      .publish('flash.remaining', {
        saleId: doc._id,
        productId: doc.productId,
        sku: doc.sku,
        remaining,
        at: clock().toISOString(),
      })
      .catch((err: unknown) => deps.log.warn({ err, saleId: doc._id }, 'could not publish flash remaining'));
  }

  function validate(input: FlashSaleInput, price: number, now: Date) {
    const issues: { field: string; message: string }[] = [];
    const limit = input.perPersonLimit ?? 1;
    if (!Number.isInteger(input.salePrice) || input.salePrice < 1 || input.salePrice >= price)
      issues.push({ field: 'body.salePrice', message: `whole fen from 1 to below the price (${price})` });
    if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_QUANTITY)
      issues.push({ field: 'body.quantity', message: `a whole number from 1 to ${MAX_QUANTITY}` });
    if (!Number.isInteger(limit) || limit < 1 || limit > input.quantity)
      issues.push({ field: 'body.perPersonLimit', message: 'a whole number from 1 to the quantity' });
    if (input.endsAt <= input.startsAt)
      issues.push({ field: 'body.endsAt', message: 'must be after startsAt' });
    else if (input.endsAt <= now) issues.push({ field: 'body.endsAt', message: 'must be in the future' });
    if (issues.length) throw new ValidationError(issues);
  }

  async function requireManaged(actor: Actor, id: string): Promise<FlashSaleDoc> {
    const doc = await Sales.findById(id).lean<FlashSaleDoc>();
    if (!doc) throw new NotFoundError('Flash sale');
    if (!actor.roles.includes('admin') && doc.sellerId !== actor.id)
      throw new ForbiddenError('You can only manage flash sales of your own products');
    return doc;
  }

  /** Closes a sale: no more claims, unsold units back in stock (exactly once), record closed. */
  async function close(doc: FlashSaleDoc, cancelled: boolean): Promise<FlashSaleDoc> {
    await deps.admission.open(toAdmission(doc));
    const unsold = (await deps.admission.close(doc._id)) ?? doc.quantity;
    if (unsold > 0 && (await deps.inventory.wasApplied(doc.sku, `flash-hold:${doc._id}`)))
      await deps.inventory.adjustStockOnce(owner(doc), unsold, `flash-return:${doc._id}`, 'release');
    const patch = { status: 'closed' as const, unsold, ...(cancelled && { cancelled: true }) };
    await Sales.updateOne({ _id: doc._id }, { $set: patch });
    opened.delete(doc._id);
    await announce(doc, 'closed');
    await publishRemaining(doc, 0);
    return { ...doc, ...patch };
  }

  return {
    async create(actor: Actor, input: FlashSaleInput): Promise<FlashSale> {
      const product = await deps.catalog.findBySku(input.sku);
      const variant = product?.variants.find((v) => v.sku === input.sku);
      if (!product || !variant)
        throw new ValidationError([{ field: 'body.sku', message: 'no product has this SKU' }]);
      if (!actor.roles.includes('admin') && product.sellerId !== actor.id)
        throw new ForbiddenError('You can only put your own products on a flash sale');
      const now = clock();
      validate(input, variant.price, now);
      const doc: FlashSaleDoc = {
        _id: newId('fls'),
        sku: input.sku,
        productId: product.id,
        sellerId: product.sellerId,
        salePrice: input.salePrice,
        normalPrice: variant.price,
        quantity: input.quantity,
        perPersonLimit: input.perPersonLimit ?? 1,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        status: 'open',
        cancelled: false,
        unsold: null,
        createdBy: actor.id,
        createdAt: now,
      };
      // Record first, then hold: a crash between leaves an open sale whose close finds no hold to undo.
      await Sales.create(doc);
      const held = await deps.inventory.adjustStockOnce(
        owner(doc),
        -doc.quantity,
        `flash-hold:${doc._id}`,
        'reservation',
      );
      if (!held.ok) {
        await Sales.updateOne({ _id: doc._id }, { $set: { status: 'closed', cancelled: true, unsold: 0 } });
        throw new ValidationError(
          [{ field: 'body.quantity', message: `only ${held.level.available} in stock` }],
          `Only ${held.level.available} units of ${doc.sku} are in stock`,
        );
      }
      await deps.admission.open(toAdmission(doc));
      opened.set(doc._id, doc);
      await announce(doc, 'open');
      return toSale(doc);
    },

    async listManaged(actor: Actor): Promise<FlashSale[]> {
      const filter = actor.roles.includes('admin') ? {} : { sellerId: actor.id };
      const docs = await Sales.find(filter).sort({ createdAt: -1 }).limit(500).lean<FlashSaleDoc[]>();
      return docs.map(toSale);
    },

    /**
     * Upcoming and live sales (of one product when given) with the units still to win (from the admission
     * store). The sales themselves come from a copy a few seconds old at most: no scan per page view.
     */
    listPublic: listOpen,

    /**
     * The sale each product is live in now with units left, for cards: from the cached list alone (units
     * left as the last `flash.remaining` told), no query per card. The earliest-ending sale when several.
     */
    async liveByProduct(productIds: string[]): Promise<Map<string, LiveFlashPrice>> {
      const now = clock();
      const { byProduct } = await openSales.read(now.getTime());
      const live = new Map<string, LiveFlashPrice>();
      for (const productId of productIds) {
        const sale = (byProduct.get(productId) ?? [])
          .filter((s) => s.doc.startsAt <= now && s.doc.endsAt > now && s.remaining > 0)
          .sort((a, b) => +a.doc.endsAt - +b.doc.endsAt)[0];
        if (sale)
          live.set(productId, {
            saleId: sale.doc._id,
            salePrice: sale.doc.salePrice,
            normalPrice: sale.doc.normalPrice,
            endsAt: sale.doc.endsAt,
          });
      }
      return live;
    },

    async get(id: string): Promise<FlashSale> {
      return toSale(await load(id));
    },

    async cancel(actor: Actor, id: string): Promise<FlashSale> {
      const doc = await requireManaged(actor, id);
      if (doc.status === 'closed') throw new ConflictError('This flash sale has already ended');
      return toSale(await close(doc, true));
    },

    /** The admission answer. Reads only the admission store once this process knows the sale. */
    async claim(userId: string | null, id: string, qty = 1): Promise<ClaimAnswer> {
      if (!userId) throw new UnauthorizedError();
      const doc = await load(id);
      if (doc.status === 'closed') return { status: 'ended', remaining: 0 };
      if (!Number.isInteger(qty) || qty < 1 || qty > doc.perPersonLimit)
        throw new ValidationError([
          { field: 'body.qty', message: `a whole number from 1 to ${doc.perPersonLimit}` },
        ]);
      const nowMs = clock().getTime();
      let answer = await deps.admission.claim(id, userId, qty, nowMs, deps.claimMs);
      if (answer === 'unknown') {
        // The admission store lost the sale (a Redis restart): register it again and ask once more.
        await deps.admission.open(toAdmission(doc));
        answer = await deps.admission.claim(id, userId, qty, nowMs, deps.claimMs);
        if (answer === 'unknown') throw new ConflictError('This flash sale cannot take claims right now');
      }
      if (answer.status === 'won') await publishRemaining(doc, answer.remaining);
      return answer;
    },

    /**
     * What a winner's token buys at checkout: the sale's SKU, the claim's units, the sale price. Changes
     * nothing: the checkout ties the claim to itself (`attachClaim`) when it takes its stock.
     */
    async claimLine(userId: string, saleId: string, token: string): Promise<FlashClaimLine> {
      const doc = await load(saleId).catch((err: unknown) => {
        if (err instanceof NotFoundError || err instanceof ConflictError) return null;
        throw err;
      });
      if (!doc) return { status: 'none' };
      if (doc.status === 'closed') return { status: 'lapsed' };
      const answer = await deps.admission.inspect(saleId, userId, token, clock().getTime());
      if (answer.status !== 'live') return answer;
      return {
        status: 'live',
        line: {
          saleId,
          sku: doc.sku,
          productId: doc.productId,
          sellerId: doc.sellerId,
          salePrice: doc.salePrice,
          qty: answer.qty,
        },
      };
    },

    /** The checkout takes the claim's units (they stay out of normal stock, in the sale's hold). */
    async attachClaim(userId: string, saleId: string, token: string, checkoutId: string) {
      await load(saleId).catch(() => null);
      return deps.admission.attach(saleId, userId, token, checkoutId, clock().getTime());
    },

    /** The checkout was paid: its claim is used for good. Idempotent. */
    async consumeClaim(userId: string, saleId: string, checkoutId: string): Promise<boolean> {
      await load(saleId).catch(() => null);
      return deps.admission.consume(saleId, userId, checkoutId);
    },

    /**
     * The checkout ended unpaid: its units go back to the sale's pool (published, so the next buyer can
     * win them), or, when the sale has closed meanwhile, to normal stock under a ref of their own, once.
     */
    async releaseClaim(userId: string, saleId: string, checkoutId: string): Promise<void> {
      const doc = await Sales.findById(saleId).lean<FlashSaleDoc>();
      if (!doc) return;
      await deps.admission.open(toAdmission(doc));
      const released = await deps.admission.release(saleId, userId, checkoutId);
      if (released.to === 'pool') {
        const remaining = await deps.admission.remaining(saleId);
        if (remaining !== null) await publishRemaining(doc, remaining);
      } else if (released.to === 'stock') {
        await deps.inventory.adjustStockOnce(
          owner(doc),
          released.qty,
          `flash-release:${saleId}:${checkoutId}`,
          'release',
        );
      }
    },

    /** Sold flash units come back to normal stock (a paid order cancelled before shipping), once by `ref`. */
    async returnSold(saleId: string, qty: number, ref: string): Promise<void> {
      const doc = await Sales.findById(saleId).lean<FlashSaleDoc>();
      if (doc) await deps.inventory.adjustStockOnce(owner(doc), qty, ref, 'return');
    },

    /** Lapsed claims back to the pool (their counts published); sales past their end closed. */
    async sweep(): Promise<{ swept: number; closed: number }> {
      const now = clock();
      const docs = await Sales.find({ status: 'open' }).lean<FlashSaleDoc[]>();
      let closed = 0;
      for (const doc of docs) {
        // Past its end, or a creation that died before its hold (a minute is far past any live create).
        const abandoned = now.getTime() - doc.createdAt.getTime() > 60_000 && !(await isHeld(doc));
        if (doc.endsAt <= now || abandoned) {
          await close(doc, abandoned);
          closed++;
          continue;
        }
        await deps.admission.open(toAdmission(doc));
        const before = await deps.admission.remaining(doc._id);
        const after = await deps.admission.sweep(doc._id, now.getTime());
        if (after !== null && after !== before) await publishRemaining(doc, after);
      }
      return { swept: docs.length - closed, closed };
    },
  };
}

export type FlashSaleService = ReturnType<typeof createFlashSaleService>;
