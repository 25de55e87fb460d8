import { assertCanEdit, type Actor } from '../catalog';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors';
import { newId } from '../ids';
import { createCheckRunner } from './check-job';
import {
  createPhotoContext,
  PHOTO_CHECK_JOB,
  PHOTO_CHECK_MAX_ATTEMPTS,
  type PhotoServiceDeps,
} from './context';
import { PhotoQuotaError, UnsupportedImageError } from './errors';
import type { PhotoCheckDoc, PhotoDoc } from './model';
import { createPhotoReviews } from './review';
import { sha256Of } from './storage';
import type { Photo, PublicPhotos, VariantFormat, VariantSize } from './types';
import { isPublic, photoUrls, toPhoto } from './views';

export interface ProductPhotos {
  mainPhotoId: string | null;
  items: Photo[];
  limits: { perProduct: number; perSeller: number; sellerUsed: number; maxBytes: number };
}

/**
 * Product photos: uploads (type from content, size and pixel limits, per-product and per-seller quotas),
 * the durable check job, the main image, deletion, support review, and what shoppers may see.
 */
export function createPhotoService(deps: PhotoServiceDeps) {
  const ctx = createPhotoContext(deps);
  const { sets, quotas } = ctx;
  const checks = createCheckRunner(ctx);
  const reviews = createPhotoReviews(ctx);

  function enqueueCheck(photoId: string, reason: string) {
    return deps.queue.enqueue(
      PHOTO_CHECK_JOB,
      { photoId },
      { dedupeKey: `photo:${photoId}:${reason}`, maxAttempts: PHOTO_CHECK_MAX_ATTEMPTS },
    );
  }

  async function ownedProduct(actor: Actor, productId: string) {
    const product = await deps.catalog.getProduct(productId);
    if (!product) throw new NotFoundError('Product');
    assertCanEdit(actor, product);
    return product;
  }

  async function ownedPhoto(actor: Actor, photoId: string): Promise<PhotoDoc> {
    const doc = await ctx.Photos.findById(photoId).lean<PhotoDoc>();
    if (!doc) throw new NotFoundError('Photo');
    const isStaff = actor.roles.some((r) => r === 'support' || r === 'admin');
    if (!isStaff) assertCanEdit(actor, doc);
    return doc;
  }

  async function sellerUsed(sellerId: string): Promise<number> {
    return (await quotas.latest(sellerId))?.count ?? 0;
  }

  /** The main image is held to more rules, so a change of main re-checks the photos it moved between. */
  async function recheckMain(before: string | null, after: string | null, setVersion: number) {
    for (const id of new Set([before, after]))
      if (id && before !== after) await enqueueCheck(id, `main:${setVersion}`);
  }

  return {
    runCheck: checks.runCheck,
    failCheck: checks.failCheck,
    reviewQueue: reviews.queue,
    review: reviews.decide,

    limits: () => deps.limits,

    /**
     * Stores an upload and queues its check. Steps, each undone if a later one fails: original on disk
     * (content-addressed, so a leftover is harmless) → seller quota (ledger) → photo document → product
     * set (ledger, guarding the per-product limit) → check job.
     */
    async upload(actor: Actor, productId: string, file: { name: string; content: Buffer }): Promise<Photo> {
      const inspector = ctx.requireInspector();
      const product = await ownedProduct(actor, productId);
      if (file.content.length === 0)
        throw new ValidationError([{ field: 'file', message: 'the file is empty' }], 'The file is empty');
      if (file.content.length > deps.limits.maxBytes)
        throw new PayloadTooLargeError(`The photo is larger than ${deps.limits.maxBytes} bytes`, {
          fields: [{ field: 'file', message: `at most ${deps.limits.maxBytes} bytes` }],
        });
      const probe = await inspector.probe(file.content);
      if (!probe.ok) {
        if (probe.reason === 'unsupported') throw new UnsupportedImageError(probe.message);
        throw new ValidationError([{ field: 'file', message: probe.message }], probe.message);
      }

      const sha256 = sha256Of(file.content);
      await deps.store.putOriginal(sha256, file.content);
      const id = newId('pho');
      const sellerId = product.sellerId;
      const quota = await quotas.appendOnce(sellerId, `add:${id}`, (head) =>
        (head?.count ?? 0) >= deps.limits.perSeller ? null : { sellerId, count: (head?.count ?? 0) + 1 },
      );
      if (quota.status === 'refused')
        throw new PhotoQuotaError('seller', deps.limits.perSeller, quota.head?.count ?? 0);
      const undo: (() => Promise<unknown>)[] = [
        () =>
          quotas.appendOnce(sellerId, `remove:${id}`, (head) => ({
            sellerId,
            count: Math.max(0, (head?.count ?? 1) - 1),
          })),
      ];
      try {
        const doc: PhotoDoc = {
          _id: id,
          productId,
          sellerId,
          shopId: product.shopId,
          fileName: file.name.slice(0, 200),
          format: probe.format,
          bytes: file.content.length,
          sha256,
          width: probe.width,
          height: probe.height,
          createdAt: ctx.now(),
        };
        await ctx.Photos.create(doc);
        undo.push(() => ctx.Photos.deleteOne({ _id: id }));
        const added = await sets.appendOnce(productId, `add:${id}`, (head) => {
          const ids = head?.photoIds ?? [];
          if (ids.length >= deps.limits.perProduct) return null;
          return { productId, photoIds: [...ids, id], mainPhotoId: head?.mainPhotoId ?? id };
        });
        if (added.status === 'refused')
          throw new PhotoQuotaError('product', deps.limits.perProduct, added.head?.photoIds.length ?? 0);
        undo.push(() =>
          sets.append(productId, (head) =>
            head?.photoIds.includes(id)
              ? {
                  productId,
                  photoIds: head.photoIds.filter((p) => p !== id),
                  mainPhotoId:
                    head.mainPhotoId === id
                      ? (head.photoIds.find((p) => p !== id) ?? null)
                      : head.mainPhotoId,
                }
              : 'unchanged',
          ),
        );
        await enqueueCheck(id, 'upload');
        return toPhoto(doc, null, null, added.entry.mainPhotoId);
      } catch (err) {
        for (const step of undo.reverse())
          await step().catch((e: unknown) =>
            deps.log.error({ err: e, photoId: id }, 'photo upload undo failed'),
          );
        throw err;
      }
    },

    /** A product's photos in order, with every check result (for its seller, support and admins). */
    async listForProduct(actor: Actor, productId: string): Promise<ProductPhotos> {
      const product = await ownedProduct(actor, productId);
      const head = await sets.latest(productId);
      const ids = head?.photoIds ?? [];
      const items = await Promise.all(ids.map((id) => ctx.view(id, head?.mainPhotoId ?? null)));
      return {
        mainPhotoId: head?.mainPhotoId ?? null,
        items: items.filter((p): p is Photo => p !== null),
        limits: {
          perProduct: deps.limits.perProduct,
          perSeller: deps.limits.perSeller,
          sellerUsed: await sellerUsed(product.sellerId),
          maxBytes: deps.limits.maxBytes,
        },
      };
    },

    async get(actor: Actor, photoId: string): Promise<Photo> {
      await ownedPhoto(actor, photoId);
      return (await ctx.view(photoId))!;
    },

    async setMain(actor: Actor, productId: string, photoId: string): Promise<ProductPhotos> {
      const product = await ownedProduct(actor, productId);
      // A photo shoppers may never see cannot be what a listing shows first.
      const photo = await ctx.view(photoId);
      if (photo?.productId === productId && isRejected(photo))
        throw new ConflictError('A rejected photo cannot be the main image', {
          fields: [
            {
              field: 'body.photoId',
              message: 'this photo was rejected; choose a photo that passed its check or was approved',
            },
          ],
        });
      const before = (await sets.latest(productId))?.mainPhotoId ?? null;
      const result = await sets.append(productId, (head) => {
        if (!head?.photoIds.includes(photoId)) return null;
        if (head.mainPhotoId === photoId) return 'unchanged';
        return { productId, photoIds: head.photoIds, mainPhotoId: photoId };
      });
      if (result.status === 'refused')
        throw new ValidationError([{ field: 'body.photoId', message: 'not a photo of this product' }]);
      if (result.status === 'appended') {
        await recheckMain(before, photoId, result.entry.version);
        await deps.bus.publish('product.photos_changed', {
          productId,
          sellerId: product.sellerId,
          version: result.entry.version,
        });
      }
      return this.listForProduct(actor, productId);
    },

    /** Removes a photo from its product; its files stay (content-addressed, maybe shared) but are no longer served. */
    async remove(actor: Actor, photoId: string): Promise<void> {
      const doc = await ownedPhoto(actor, photoId);
      const { productId, sellerId } = doc;
      const before = (await sets.latest(productId))?.mainPhotoId ?? null;
      const result = await sets.append(productId, (head) => {
        if (!head?.photoIds.includes(photoId)) return 'unchanged';
        const rest = head.photoIds.filter((p) => p !== photoId);
        return {
          productId,
          photoIds: rest,
          mainPhotoId: head.mainPhotoId === photoId ? (rest[0] ?? null) : head.mainPhotoId,
        };
      });
      await Promise.all([
        ctx.Photos.deleteOne({ _id: photoId }),
        ctx.Checks.deleteOne({ _id: photoId }),
        ctx.Reviews.deleteOne({ _id: photoId }),
        ctx.ReviewQueue.deleteOne({ _id: photoId }),
      ]);
      await quotas.appendOnce(sellerId, `remove:${photoId}`, (head) => ({
        sellerId,
        count: Math.max(0, (head?.count ?? 1) - 1),
      }));
      await ctx.hashes.remove(photoId);
      if (result.status === 'appended') {
        await recheckMain(before, result.entry.mainPhotoId, result.entry.version);
        await deps.bus.publish('product.photos_changed', {
          productId,
          sellerId,
          version: result.entry.version,
        });
      }
    },

    /** Queues a fresh check of every photo (after thresholds or models changed). Returns the job ids. */
    async recheckAll(runId: string, onQueued?: (queued: number) => void): Promise<string[]> {
      const ids: string[] = [];
      for await (const doc of ctx.Photos.find({}, { _id: 1 }).lean<{ _id: string }[]>().cursor()) {
        ids.push((await enqueueCheck((doc as { _id: string })._id, `recheck:${runId}`)).id);
        onQueued?.(ids.length);
      }
      return ids;
    },

    /**
     * The photos shoppers may see, main first. Every listing build asks, so a product without photos
     * costs one `_id` lookup: its set has no head hint. (A hint can be missing only while a product's
     * first set entry is being written, and a photo becomes public only through a later append, which
     * moves the hint first.)
     */
    async publicPhotos(productId: string): Promise<PublicPhotos> {
      if (!(await ctx.hasSet(productId))) return { version: 0, photos: [] };
      const head = await sets.latest(productId);
      if (!head || head.photoIds.length === 0) return { version: head?.version ?? 0, photos: [] };
      const parts = await Promise.all(head.photoIds.map((id) => ctx.loadParts(id)));
      const shown = parts.filter((p) => p.doc && isPublic(p.check, p.review));
      shown.sort((a, b) => Number(b.doc!._id === head.mainPhotoId) - Number(a.doc!._id === head.mainPhotoId));
      return {
        version: head.version,
        photos: shown.map((p) => ({ id: p.doc!._id, urls: photoUrls(p.doc!._id, p.check!.variantsKey!) })),
      };
    },

    /**
     * Which variant file to serve for a media request, or null (404). Public photos are for everyone; a
     * photo not (yet) public only for its seller and support. Originals are never served.
     */
    async variantFile(
      request: { photoId: string; key: string; size: VariantSize; formats: VariantFormat[] },
      viewer: Actor | null,
    ): Promise<{ path: string; format: VariantFormat; public: boolean } | null> {
      const { doc, check, review } = await ctx.loadParts(request.photoId);
      if (!doc || !check?.variantsKey || check.variantsKey !== request.key) return null;
      const visible = isPublic(check, review);
      if (!visible) {
        const staff = viewer?.roles.some((r) => r === 'support' || r === 'admin');
        const owner = viewer?.roles.includes('seller') && viewer.shopId === doc.shopId;
        if (!staff && !owner) return null;
      }
      const rendered = new Set(
        (check as PhotoCheckDoc).variants.filter((v) => v.size === request.size).map((v) => v.format),
      );
      const format = request.formats.find((f) => rendered.has(f));
      if (!format) return null;
      return {
        path: deps.store.variantPath(check.variantsKey, request.size, format),
        format,
        public: visible,
      };
    },
  };
}

export type PhotoService = ReturnType<typeof createPhotoService>;
export { PHOTO_CHECK_JOB } from './context';

/** Rejected by its check (and not approved by support since), or rejected by support. */
function isRejected(photo: Pick<Photo, 'status' | 'review'>): boolean {
  return photo.review ? photo.review.decision === 'rejected' : photo.status === 'reject';
}
