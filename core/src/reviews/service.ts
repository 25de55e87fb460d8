import type { Connection } from 'mongoose';
import type { Actor, CatalogService } from '../catalog';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { EventBus } from '../events';
import type { Order, OrderLine, OrderService, OrderStatus } from '../orders';
import type { UserService } from '../users';
import { afterPosition, decodeCursor, encodeCursor } from './cursor';
import { checkReviewInput, checkText } from './input';
import {
  moderationLedger,
  ratingLedger,
  replyCollection,
  reviewModel,
  type ReplyDoc,
  type ReviewDoc,
} from './model';
import { nextTotals, summaryOf } from './ratings';
import { isStaff, toPublicReview, toSupportReview } from './views';
import {
  MODERATION_REASON_MAX,
  REPLY_BODY_MAX,
  type PublicReview,
  type RatingSummary,
  type Review,
  type ReviewableProduct,
  type ReviewInput,
  type ReviewPage,
} from './types';
import { type Clock, systemClock } from '../clock';

/** Orders whose products their buyer may review. */
const REVIEWABLE_STATUSES: ReadonlySet<OrderStatus> = new Set(['delivered', 'completed']);
/** How many of a buyer's delivered (and as many completed) orders "reviewable" looks through. */
const REVIEWABLE_ORDER_SCAN = 50;
/** A copy of the moderation state that keeps losing races this often is a bug, not contention. */
const MAX_COPY_ROUNDS = 20;

export const reviewIdOf = (buyerId: string, productId: string) => `${buyerId}:${productId}`;

function limitOf(limit: number | undefined, fallback: number, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(limit ?? fallback)));
}

/**
 * Product reviews by buyers of delivered orders, one per buyer and product; seller replies; hiding by
 * support. Each product's rating totals are a ledger stream (model.ts) changed exactly once per review
 * event (`add:<id>`, `hide:<id>:<n>`, `unhide:<id>:<n>`), so concurrent reviews never lose a count and a
 * step repeated after a crash never counts twice.
 */
export function createReviewService(deps: {
  connection: Connection;
  bus: EventBus;
  orders: OrderService;
  catalog: CatalogService;
  users: UserService;
  clock?: Clock;
}) {
  const Reviews = reviewModel(deps.connection);
  const Replies = replyCollection(deps.connection);
  const moderation = moderationLedger(deps.connection, deps.clock);
  const ratings = ratingLedger(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  async function load(reviewId: string): Promise<ReviewDoc> {
    const doc = await Reviews.findById(reviewId).lean<ReviewDoc>();
    if (!doc) throw new NotFoundError('Review');
    return doc;
  }

  /** Counts the review in or out of its product's totals, once per `ref`; returns the stream version. */
  async function count(doc: ReviewDoc, ref: string, delta: 1 | -1): Promise<number> {
    const result = await ratings.appendOnce(doc.productId, ref, (head) => ({
      productId: doc.productId,
      reviewId: doc._id,
      rating: doc.rating,
      delta,
      ...nextTotals(head, doc.rating, delta),
    }));
    return result.status === 'refused' ? (result.head?.version ?? 0) : result.entry.version;
  }

  /**
   * Brings the aggregate and the review's list copy in line with the review and its moderation stream:
   * counts it in, then replays every hide/unhide in order (each once). Idempotent, so it is also how a
   * retried request repairs a step that a crash cut short. Returns the aggregate's version.
   */
  async function settle(doc: ReviewDoc): Promise<number> {
    let version = await count(doc, `add:${doc._id}`, 1);
    const head = await moderation.latest(doc._id);
    if (head) {
      for (const entry of (await moderation.history(doc._id, head.version)).reverse()) {
        const kind = entry.hidden ? 'hide' : 'unhide';
        version = await count(doc, `${kind}:${doc._id}:${entry.version}`, entry.hidden ? -1 : 1);
      }
    }
    await copyModeration(doc._id);
    return version;
  }

  /**
   * Copies the moderation head onto the review for list filters. FerretDB may let an older copy land
   * after a newer one (read-modify-write), so every writer re-checks after writing until they agree.
   */
  async function copyModeration(reviewId: string): Promise<void> {
    for (let round = 0; round < MAX_COPY_ROUNDS; round++) {
      const head = await moderation.latest(reviewId);
      const version = head?.version ?? 0;
      const doc = await Reviews.findById(reviewId, { moderationVersion: 1 }).lean<ReviewDoc>();
      if (!doc || doc.moderationVersion >= version || !head) return;
      await Reviews.updateOne(
        // `_id` alone (FerretDB scans for any other filter); the version was checked just above.
        { _id: reviewId },
        {
          $set: {
            hidden: head.hidden,
            hiddenReason: head.hidden ? head.reason : null,
            hiddenAt: head.hidden ? head.at : null,
            hiddenBy: head.hidden ? head.actorId : null,
            moderationVersion: version,
          },
        },
      );
    }
  }

  async function announce(doc: ReviewDoc, version: number): Promise<void> {
    await deps.bus.publish('review.changed', { productId: doc.productId, reviewId: doc._id, version });
  }

  async function replyOf(reviewId: string): Promise<ReplyDoc | null> {
    return Replies.findOne({ _id: reviewId });
  }

  /** Newest first, `limit` + 1 read to know whether there is a next page. */
  async function page(filter: Record<string, unknown>, cursor: string | undefined, limit: number) {
    const query = cursor ? { $and: [filter, afterPosition(decodeCursor(cursor))] } : filter;
    const docs = await Reviews.find(query)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ReviewDoc[]>();
    const items = docs.slice(0, limit);
    const last = items.at(-1);
    const replies = await Promise.all(items.map((d) => replyOf(d._id)));
    return {
      items: items.map((doc, i) => ({ doc, reply: replies[i] ?? null })),
      nextCursor: docs.length > limit && last ? encodeCursor({ at: last.createdAt, id: last._id }) : null,
    };
  }

  async function orderForReview(orderId: string): Promise<Order | null> {
    try {
      return await deps.orders.get(orderId);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  function deliveredAt(order: Order): Date {
    return order.timeline.find((t) => t.status === 'delivered')?.at ?? order.createdAt;
  }

  async function moderate(actor: Actor, reviewId: string, hide: boolean, reason: string | null) {
    if (!isStaff(actor)) throw new ForbiddenError('Only support can hide or show reviews');
    const doc = await load(reviewId);
    const result = await moderation.append(reviewId, (head) =>
      (head?.hidden ?? false) === hide ? null : { reviewId, hidden: hide, reason, actorId: actor.id },
    );
    // Also after a refusal: a request repeated because the first one died half-way completes it here.
    const version = await settle(doc);
    if (result.status !== 'appended')
      throw new ConflictError(hide ? 'This review is already hidden' : 'This review is not hidden');
    await announce(doc, version);
    return toSupportReview(await load(reviewId), await replyOf(reviewId), actor);
  }

  return {
    /**
     * The buyer of a delivered or completed order reviews one of its products, once per product.
     * 403 for someone else's order, 422 (naming `body.orderId`) for an order not yet delivered or
     * without the product, 409 for a second review.
     */
    async create(actor: Actor, productId: string, input: ReviewInput): Promise<PublicReview> {
      const clean = checkReviewInput(input);
      const product = await deps.catalog.getProduct(productId);
      if (!product) throw new NotFoundError('Product');
      const order = await orderForReview(clean.orderId);
      if (!order) throw new ValidationError([{ field: 'body.orderId', message: 'no such order' }]);
      if (order.buyerId !== actor.id)
        throw new ForbiddenError('Only the buyer of this order can review its products');
      const line: OrderLine | undefined = order.lines.find((l) => l.productId === productId);
      if (!line)
        throw new ValidationError(
          [{ field: 'body.orderId', message: 'this order does not include the product' }],
          'This order does not include the product',
        );
      if (!REVIEWABLE_STATUSES.has(order.status))
        throw new ValidationError(
          [{ field: 'body.orderId', message: 'the order has not been delivered yet' }],
          'You can review a product once its order has been delivered',
        );

      const id = reviewIdOf(actor.id, productId);
      const buyer = await deps.users.getUser(actor.id);
      const doc: ReviewDoc = {
        _id: id,
        productId,
        sellerId: order.sellerId,
        buyerId: actor.id,
        buyerName: buyer?.name ?? '',
        orderId: order.id,
        sku: line.sku,
        variantTitle: line.variantTitle,
        productName: line.name,
        productNameZh: line.nameZh,
        rating: clean.rating,
        title: clean.title,
        body: clean.body,
        hidden: false,
        hiddenReason: null,
        hiddenAt: null,
        hiddenBy: null,
        moderationVersion: 0,
        createdAt: now(),
      };
      try {
        await Reviews.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await Reviews.findById(id).lean<ReviewDoc>();
        if (existing) await settle(existing);
        throw new ConflictError('You have already reviewed this product', { reviewId: id });
      }
      await announce(doc, await settle(doc));
      return toPublicReview(doc, null, actor);
    },

    /** A product's reviews, newest first: visible ones, plus the viewer's own and, for support, all. */
    async list(
      productId: string,
      opts: { viewer: Actor | null; cursor?: string; limit?: number },
    ): Promise<ReviewPage<PublicReview> & { summary: RatingSummary }> {
      if (!(await deps.catalog.getProduct(productId))) throw new NotFoundError('Product');
      const viewer = opts.viewer;
      const visibility = isStaff(viewer)
        ? {}
        : viewer
          ? { $or: [{ hidden: false }, { buyerId: viewer.id }] }
          : { hidden: false };
      const [result, head] = await Promise.all([
        page({ productId, ...visibility }, opts.cursor, limitOf(opts.limit, 10, 50)),
        ratings.latest(productId),
      ]);
      return {
        summary: summaryOf(head),
        items: result.items.map(({ doc, reply }) => toPublicReview(doc, reply, viewer)),
        nextCursor: result.nextCursor,
      };
    },

    async summary(productId: string): Promise<RatingSummary> {
      return summaryOf(await ratings.latest(productId));
    },

    /** The product's seller answers a review; calling again edits the answer. */
    async reply(actor: Actor, reviewId: string, body: string): Promise<PublicReview> {
      const doc = await load(reviewId);
      if (doc.sellerId !== actor.id)
        throw new ForbiddenError('Only the seller of this product can reply to its reviews');
      const text = checkText('body.body', body, REPLY_BODY_MAX);
      if (doc.hidden) throw new ConflictError('A hidden review cannot be replied to');
      const at = now();
      const write = (upsert: boolean) =>
        Replies.updateOne(
          { _id: reviewId },
          {
            $set: { body: text, updatedAt: at },
            $setOnInsert: { productId: doc.productId, sellerId: doc.sellerId, createdAt: at },
          },
          { upsert },
        );
      try {
        await write(true);
      } catch (err) {
        // Two first replies raced to insert: the other one's insert won, so update it.
        if (!isDuplicateKeyError(err)) throw err;
        await write(false);
      }
      await announce(doc, (await ratings.latest(doc.productId))?.version ?? 0);
      return toPublicReview(doc, await replyOf(reviewId), actor);
    },

    /** Support hides a review: gone from public lists and from the product's rating; 409 if hidden. */
    async hide(actor: Actor, reviewId: string, reason: string): Promise<Review> {
      return moderate(actor, reviewId, true, checkText('body.reason', reason, MODERATION_REASON_MAX));
    },

    /** Support shows a hidden review again, counting it back in; 409 if it is not hidden. */
    async unhide(actor: Actor, reviewId: string): Promise<Review> {
      return moderate(actor, reviewId, false, null);
    },

    /**
     * Products the buyer received (delivered or completed orders) and has not reviewed, newest
     * delivery first, each once; or only those of one order (`orderId`, which must be theirs).
     */
    async reviewable(actor: Actor, opts: { orderId?: string } = {}): Promise<ReviewableProduct[]> {
      let orders: Order[];
      if (opts.orderId) {
        const { order } = await deps.orders.getFor(actor, opts.orderId);
        orders = order.buyerId === actor.id ? [order] : [];
      } else {
        const lists = await Promise.all(
          [...REVIEWABLE_STATUSES].map((status) =>
            deps.orders.listForBuyer(actor.id, { status, limit: REVIEWABLE_ORDER_SCAN }),
          ),
        );
        orders = await deps.orders.getMany(lists.flat().map((o) => o.id));
      }
      const seen = new Set<string>();
      const candidates: { order: Order; line: OrderLine; at: Date }[] = [];
      const received = orders
        .filter((o) => o.buyerId === actor.id && REVIEWABLE_STATUSES.has(o.status))
        .map((order) => ({ order, at: deliveredAt(order) }))
        .sort((a, b) => b.at.getTime() - a.at.getTime());
      for (const { order, at } of received) {
        for (const line of order.lines) {
          if (seen.has(line.productId)) continue;
          seen.add(line.productId);
          candidates.push({ order, line, at });
        }
      }
      const open = await Promise.all(
        candidates.map(async (c) => {
          const [reviewed, product] = await Promise.all([
            Reviews.exists({ _id: reviewIdOf(actor.id, c.line.productId) }),
            deps.catalog.getProduct(c.line.productId),
          ]);
          return !reviewed && product ? c : null;
        }),
      );
      return open
        .filter((c): c is NonNullable<typeof c> => c !== null)
        .map(({ order, line, at }) => ({
          orderId: order.id,
          orderNumber: order.number,
          productId: line.productId,
          sku: line.sku,
          name: line.name,
          nameZh: line.nameZh,
          variantTitle: line.variantTitle,
          image: line.image,
          deliveredAt: at,
        }));
    },

    /** For support: the latest reviews, hidden ones included, or only hidden or only visible ones. */
    async listRecent(
      actor: Actor,
      opts: { hidden?: boolean; cursor?: string; limit?: number } = {},
    ): Promise<ReviewPage<Review>> {
      if (!isStaff(actor)) throw new ForbiddenError('Only support can list all reviews');
      const filter = opts.hidden === undefined ? {} : { hidden: opts.hidden };
      const result = await page(filter, opts.cursor, limitOf(opts.limit, 50, 200));
      return {
        items: result.items.map(({ doc, reply }) => toSupportReview(doc, reply, actor)),
        nextCursor: result.nextCursor,
      };
    },

    /** Re-runs the counting of a review (after a crash cut it short); safe to call any time. */
    /** A person's reviews as they wrote them (the account export). */
    async byBuyer(buyerId: string) {
      const docs = await Reviews.find({ buyerId }).lean<ReviewDoc[]>();
      return docs.map((d) => ({
        id: d._id,
        productId: d.productId,
        productName: d.productName,
        orderId: d.orderId,
        rating: d.rating,
        title: d.title,
        body: d.body,
        createdAt: d.createdAt,
      }));
    },

    /**
     * Erasure keeps reviews (other shoppers relied on them; the rating aggregate includes them) but
     * removes who wrote them: the author's name becomes "Closed account". The author is their only writer.
     */
    async anonymiseBuyer(buyerId: string): Promise<number> {
      const result = await Reviews.updateMany({ buyerId }, { $set: { buyerName: 'Closed account' } });
      return result.modifiedCount;
    },

    async repair(reviewId: string): Promise<void> {
      await settle(await load(reviewId));
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
