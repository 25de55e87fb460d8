import type { Actor } from '../catalog';
import type { ReplyDoc, ReviewDoc } from './model';
import type { PublicReview, Review } from './types';

export const isStaff = (actor: Actor | null) =>
  !!actor && (actor.roles.includes('support') || actor.roles.includes('admin'));

/** A review as anyone may see it; why it was hidden is shown to its author and to support only. */
export function toPublicReview(doc: ReviewDoc, reply: ReplyDoc | null, viewer: Actor | null): PublicReview {
  const mine = viewer?.id === doc.buyerId;
  return {
    id: doc._id,
    productId: doc.productId,
    rating: doc.rating,
    title: doc.title,
    body: doc.body,
    authorName: doc.buyerName,
    variantTitle: doc.variantTitle,
    reply: reply ? { body: reply.body, createdAt: reply.createdAt, updatedAt: reply.updatedAt } : null,
    hidden: doc.hidden,
    hiddenReason: doc.hidden && (mine || isStaff(viewer)) ? doc.hiddenReason : null,
    mine,
    createdAt: doc.createdAt,
  };
}

/** A review with what support needs to moderate it (who wrote it, from which order). */
export function toSupportReview(doc: ReviewDoc, reply: ReplyDoc | null, viewer: Actor | null): Review {
  return {
    ...toPublicReview(doc, reply, viewer),
    hiddenReason: doc.hidden ? doc.hiddenReason : null,
    buyerId: doc.buyerId,
    orderId: doc.orderId,
    sellerId: doc.sellerId,
    sku: doc.sku,
    productName: doc.productName,
    productNameZh: doc.productNameZh,
    hiddenAt: doc.hidden ? doc.hiddenAt : null,
    hiddenBy: doc.hidden ? doc.hiddenBy : null,
  };
}
