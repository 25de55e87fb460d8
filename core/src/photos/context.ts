import type { Connection } from 'mongoose';
import type { CatalogService } from '../catalog';
import type { EventBus } from '../events';
import type { JobQueue } from '../jobs';
import type { Logger } from '../logger';
import { PhotoHashIndex } from './hash-index';
import {
  photoHashFeed,
  photoModels,
  photoQuotas,
  photoSets,
  PHOTO_SET_HEADS,
  type PhotoCheckDoc,
  type PhotoDoc,
  type PhotoReviewDoc,
} from './model';
import type { PhotoStore } from './storage';
import type { Photo, PhotoInspector, PhotoLimits, PhotoThresholds } from './types';
import { isPublic, toPhoto } from './views';
import { type Clock, systemClock } from '../clock';

export const PHOTO_CHECK_JOB = 'photo.check';
export const PHOTO_CHECK_MAX_ATTEMPTS = 5;

export interface PhotoServiceDeps {
  connection: Connection;
  bus: EventBus;
  queue: JobQueue;
  catalog: CatalogService;
  store: PhotoStore;
  /** Absent in a process that cannot check photos; uploads and checks then refuse to run. */
  inspector: PhotoInspector | null;
  limits: PhotoLimits;
  thresholds: PhotoThresholds;
  log: Logger;
  clock?: Clock;
}

/** What the photo service's parts (uploads, checks, reviews) share. */
export function createPhotoContext(deps: PhotoServiceDeps) {
  const models = photoModels(deps.connection);
  const sets = photoSets(deps.connection);
  const quotas = photoQuotas(deps.connection);
  const hashes = new PhotoHashIndex(photoHashFeed(deps.connection));
  const now = deps.clock ?? systemClock;

  /** The three documents of a photo, read by `_id` (the one lookup FerretDB does not scan for). */
  async function loadParts(photoId: string) {
    const [doc, check, review] = await Promise.all([
      models.Photos.findById(photoId).lean<PhotoDoc>(),
      models.Checks.findById(photoId).lean<PhotoCheckDoc>(),
      models.Reviews.findById(photoId).lean<PhotoReviewDoc>(),
    ]);
    return { doc, check, review };
  }

  async function view(photoId: string, mainPhotoId?: string | null): Promise<Photo | null> {
    const { doc, check, review } = await loadParts(photoId);
    if (!doc) return null;
    const main =
      mainPhotoId !== undefined ? mainPhotoId : ((await sets.latest(doc.productId))?.mainPhotoId ?? null);
    return toPhoto(doc, check, review, main);
  }

  /**
   * Records in the product's photo set that what shoppers see may have changed, and tells the listing
   * projector; the set's version is part of the listing's source version, so the listing moves forward.
   */
  async function touchSet(productId: string, sellerId: string): Promise<void> {
    const result = await sets.append(productId, (head) =>
      head ? { productId, photoIds: head.photoIds, mainPhotoId: head.mainPhotoId } : 'unchanged',
    );
    if (result.status === 'appended')
      await deps.bus.publish('product.photos_changed', {
        productId,
        sellerId,
        version: result.entry.version,
      });
  }

  /** `photo.checked`: a check finished or support decided; the seller's page updates from it. */
  async function publishChecked(photo: Photo, at: Date): Promise<void> {
    await deps.bus.publish('photo.checked', {
      photoId: photo.id,
      productId: photo.productId,
      sellerId: photo.sellerId,
      status: photo.status,
      public: photo.public,
      review: photo.review?.decision ?? null,
      reasons: photo.reasons.map((r) => ({
        code: r.code,
        severity: r.severity,
        value: r.value,
        threshold: r.threshold,
        message: r.message,
      })),
      checks: photo.checks,
      at: at.toISOString(),
    });
  }

  const setHeads = deps.connection.collection<{ _id: string }>(PHOTO_SET_HEADS);
  async function hasSet(productId: string): Promise<boolean> {
    return (await setHeads.findOne({ _id: productId }, { projection: { _id: 1 } })) !== null;
  }

  function requireInspector(): PhotoInspector {
    if (!deps.inspector) throw new Error('This process has no photo inspector (vision is not wired in)');
    return deps.inspector;
  }

  return {
    deps,
    ...models,
    sets,
    quotas,
    hashes,
    now,
    loadParts,
    view,
    touchSet,
    hasSet,
    publishChecked,
    requireInspector,
    isPublic,
  };
}

export type PhotoContext = ReturnType<typeof createPhotoContext>;
