import { isDuplicateKeyError } from '../errors';
import type { JobContext } from '../jobs';
import type { PhotoContext } from './context';
import type { PhotoCheckDoc } from './model';
import type { VerdictReason } from './types';
import { isPublic, toPhoto } from './views';

/** Near-duplicates kept per photo (nearest first): enough to act on, small enough to store. */
const MAX_DUPLICATES = 5;
const HEARTBEAT_MS = 500;

/**
 * The `photo.check` job: inspect the stored original, write the variants, find near-duplicates, judge,
 * and tell the seller. At-least-once safe: variant files are named by content and written only when
 * absent, the hash feed ignores a hash it already holds, the check document is replaced whole (its
 * `checks` counter moves once per job, not per attempt), and the queue entry is keyed by the photo id.
 */
export function createCheckRunner(ctx: PhotoContext) {
  const { deps } = ctx;

  async function runCheck(payload: { photoId: string }, job: Pick<JobContext, 'jobId' | 'heartbeat'>) {
    const { photoId } = payload;
    const inspector = ctx.requireInspector();
    const { doc, check: previous, review } = await ctx.loadParts(photoId);
    if (!doc) return { skipped: 'deleted' };
    const set = await ctx.sets.latest(doc.productId);
    if (!set?.photoIds.includes(photoId)) return { skipped: 'removed' };
    const main = set.mainPhotoId === photoId;
    const product = await deps.catalog.getProduct(doc.productId);
    const categoryPath = product ? [...product.categoryAncestors, product.categoryId] : [];

    const original = await deps.store.readOriginal(doc.sha256);
    // A check takes seconds (more on a busy machine): keep the lease alive meanwhile (the worker throttles
    // heartbeats), then make sure it is still ours before writing anything.
    const beat = setInterval(() => void job.heartbeat().catch(() => undefined), HEARTBEAT_MS);
    let inspected: Awaited<ReturnType<typeof inspector.inspect>>;
    try {
      inspected = await inspector.inspect(original, { categoryPath });
    } finally {
      clearInterval(beat);
    }
    await job.heartbeat();

    const base = {
      _id: photoId,
      productId: doc.productId,
      sellerId: doc.sellerId,
      main,
      // A retried attempt of the same job replaces its own result without counting a second check.
      checks: (previous?.checks ?? 0) + (previous?.jobId === job.jobId ? 0 : 1),
      jobId: job.jobId,
      checkedAt: ctx.now(),
    };
    let check: PhotoCheckDoc;
    if (!inspected.ok) {
      const reason: VerdictReason = {
        code: inspected.reason,
        severity: 'reject',
        value: inspected.reason === 'pixel_limit' ? doc.width * doc.height : 0,
        threshold: inspected.reason === 'pixel_limit' ? deps.limits.maxPixels : null,
        message: inspected.message,
      };
      check = {
        ...base,
        status: 'reject',
        reasons: [reason],
        metrics: null,
        findings: null,
        analysisWidth: 0,
        analysisHeight: 0,
        duplicates: [],
        phash: null,
        variantsKey: null,
        variants: [],
        timings: {},
      };
    } else {
      const variantsKey = `${doc.sha256}-${inspector.variantsVersion}`;
      for (const v of inspected.variants) await deps.store.putVariant(variantsKey, v.size, v.format, v.data);
      await ctx.hashes.record({
        photoId,
        productId: doc.productId,
        sellerId: doc.sellerId,
        phash: inspected.phash,
      });
      // Nearest first; one per product is enough to act on.
      const seenProducts = new Set<string>();
      const duplicates = (await ctx.hashes.nearest(photoId, deps.thresholds.duplicateDistance))
        .filter((d) => !seenProducts.has(d.productId) && seenProducts.add(d.productId))
        .slice(0, MAX_DUPLICATES);
      const judged = inspector.judge({
        metrics: inspected.metrics,
        findings: inspected.findings,
        modelsError: inspected.modelsError,
        analysisWidth: inspected.analysisWidth,
        analysisHeight: inspected.analysisHeight,
        duplicates: duplicates.map((d) => ({
          ...d,
          sameSeller: d.sellerId === doc.sellerId,
          sameProduct: d.productId === doc.productId,
        })),
        main,
      });
      check = {
        ...base,
        status: judged.verdict,
        reasons: judged.reasons,
        metrics: inspected.metrics,
        findings: inspected.findings,
        analysisWidth: inspected.analysisWidth,
        analysisHeight: inspected.analysisHeight,
        duplicates,
        phash: inspected.phash,
        variantsKey,
        variants: inspected.variants.map((v) => ({
          size: v.size,
          format: v.format,
          width: v.width,
          height: v.height,
          bytes: v.data.length,
        })),
        timings: inspected.timings,
      };
    }
    await ctx.Checks.replaceOne({ _id: photoId }, check, { upsert: true });

    // Support sees what the machine could not decide, unless support already decided this photo.
    if (check.status === 'needs_review' && !review) {
      await ctx.ReviewQueue.create({
        _id: photoId,
        productId: doc.productId,
        sellerId: doc.sellerId,
        queuedAt: ctx.now(),
      }).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
      await deps.bus.publish('photo.review_queued', {
        photoId,
        productId: doc.productId,
        sellerId: doc.sellerId,
        at: check.checkedAt.toISOString(),
      });
    } else if (check.status !== 'needs_review') {
      await ctx.ReviewQueue.deleteOne({ _id: photoId });
    }

    const wasPublic = isPublic(previous, review);
    const nowPublic = isPublic(check, review);
    if (wasPublic !== nowPublic || (nowPublic && previous?.variantsKey !== check.variantsKey))
      await ctx.touchSet(doc.productId, doc.sellerId);

    // Deleted while it was being checked: leave nothing behind.
    const after = await ctx.sets.latest(doc.productId);
    if (!after?.photoIds.includes(photoId)) {
      await ctx.Checks.deleteOne({ _id: photoId });
      await ctx.ReviewQueue.deleteOne({ _id: photoId });
      return { skipped: 'removed' };
    }

    await ctx.publishChecked(toPhoto(doc, check, review, after.mainPhotoId), check.checkedAt);
    deps.log.debug({ photoId, status: check.status, timings: check.timings }, 'photo checked');
    return { status: check.status, reasons: check.reasons.map((r) => r.code) };
  }

  /**
   * The job is out of attempts (say the original went missing from the store): the photo must not stay
   * "checking" for ever, so it goes to support with the reason.
   */
  async function failCheck(photoId: string, message: string): Promise<void> {
    const { doc, check, review } = await ctx.loadParts(photoId);
    if (!doc || check) return;
    const failed: PhotoCheckDoc = {
      _id: photoId,
      productId: doc.productId,
      sellerId: doc.sellerId,
      status: 'needs_review',
      reasons: [
        {
          code: 'check_failed',
          severity: 'review',
          value: 0,
          threshold: null,
          message: `The check could not run: ${message.slice(0, 300)}`,
        },
      ],
      metrics: null,
      findings: null,
      analysisWidth: 0,
      analysisHeight: 0,
      duplicates: [],
      phash: null,
      variantsKey: null,
      variants: [],
      main: false,
      checks: 1,
      jobId: '',
      timings: {},
      checkedAt: ctx.now(),
    };
    await ctx.Checks.replaceOne({ _id: photoId }, failed, { upsert: true });
    await ctx.ReviewQueue.create({
      _id: photoId,
      productId: doc.productId,
      sellerId: doc.sellerId,
      queuedAt: failed.checkedAt,
    }).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    const main = (await ctx.sets.latest(doc.productId))?.mainPhotoId ?? null;
    await ctx.publishChecked(toPhoto(doc, failed, review, main), failed.checkedAt);
  }

  return { runCheck, failCheck };
}
