import type { PhotoCheckDoc, PhotoDoc, PhotoReviewDoc } from './model';
import type { Photo, PhotoUrls } from './types';

/** Where a photo's variants are served; the key changes with the content or the variant settings. */
export function photoUrls(photoId: string, variantsKey: string): PhotoUrls {
  const base = `/media/photos/${encodeURIComponent(photoId)}/${variantsKey}`;
  return { thumb: `${base}/thumb`, medium: `${base}/medium`, large: `${base}/large` };
}

/** Support's decision outranks the machine: approved shows, rejected hides, otherwise only a pass shows. */
export function isPublic(check: PhotoCheckDoc | null, review: PhotoReviewDoc | null): boolean {
  if (!check?.variantsKey) return false;
  if (review) return review.decision === 'approved';
  return check.status === 'pass';
}

export function toPhoto(
  doc: PhotoDoc,
  check: PhotoCheckDoc | null,
  review: PhotoReviewDoc | null,
  mainPhotoId: string | null,
): Photo {
  return {
    id: doc._id,
    productId: doc.productId,
    sellerId: doc.sellerId,
    shopId: doc.shopId,
    fileName: doc.fileName,
    format: doc.format,
    bytes: doc.bytes,
    sha256: doc.sha256,
    status: check?.status ?? 'checking',
    public: isPublic(check, review),
    main: mainPhotoId === doc._id,
    reasons: check?.reasons ?? [],
    metrics: check?.metrics ?? null,
    findings: check?.findings ?? null,
    analysisWidth: check?.analysisWidth ?? 0,
    analysisHeight: check?.analysisHeight ?? 0,
    duplicates: check?.duplicates ?? [],
    review: review
      ? { decision: review.decision, by: review.by, note: review.note, at: review.at.toISOString() }
      : null,
    urls: check?.variantsKey ? photoUrls(doc._id, check.variantsKey) : null,
    checks: check?.checks ?? 0,
    checkedAt: check?.checkedAt.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}
