import type { Actor } from '../catalog';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { PhotoContext } from './context';
import type { ReviewQueueDoc } from './model';
import type { Photo, ReviewDecision } from './types';
import { isPublic } from './views';

export const REVIEW_NOTE_MAX = 500;
const QUEUE_PAGE = 100;

function assertSupport(actor: Actor): void {
  if (!actor.roles.some((r) => r === 'support' || r === 'admin'))
    throw new ForbiddenError('Only support staff review photos');
}

/** Support's side: the queue of photos the checks could not decide, and the decisions on them. */
export function createPhotoReviews(ctx: PhotoContext) {
  return {
    /** Oldest first, so nothing waits forever; with the measured values and text boxes to judge by. */
    async queue(actor: Actor): Promise<{ items: Photo[]; total: number }> {
      assertSupport(actor);
      const queued = await ctx.ReviewQueue.find().lean<ReviewQueueDoc[]>();
      queued.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a._id.localeCompare(b._id));
      const items = await Promise.all(queued.slice(0, QUEUE_PAGE).map((q) => ctx.view(q._id)));
      return { items: items.filter((p): p is Photo => p !== null), total: queued.length };
    },

    async decide(actor: Actor, photoId: string, decision: ReviewDecision, note = ''): Promise<Photo> {
      assertSupport(actor);
      const { doc, check, review: before } = await ctx.loadParts(photoId);
      if (!doc) throw new NotFoundError('Photo');
      if (!check)
        throw new ConflictError('This photo is still being checked; decide once the check finished');
      const review = {
        _id: photoId,
        decision,
        by: actor.id,
        note: note.slice(0, REVIEW_NOTE_MAX),
        at: ctx.now(),
      };
      await ctx.Reviews.replaceOne({ _id: photoId }, review, { upsert: true });
      await ctx.ReviewQueue.deleteOne({ _id: photoId });
      if (isPublic(check, before) !== isPublic(check, review))
        await ctx.touchSet(doc.productId, doc.sellerId);
      const photo = (await ctx.view(photoId))!;
      await ctx.publishChecked(photo, review.at);
      ctx.deps.log.info({ photoId, decision, by: actor.id }, 'photo reviewed');
      return photo;
    },
  };
}
