import type { EvidenceImager, VariantFile } from '@market/core';
import { decodeImage, fromDecoded, probeImage } from './decode';

/** Longest side of an evidence photo's two renderings (a list thumbnail and the full view). */
const EVIDENCE_SIDES = { thumb: 240, large: 1600 } as const;

/**
 * Evidence photos of an after-sales request: the same safe decode as product photos (format from the
 * bytes, pixel limit before decoding, EXIF rotation, every metadata block dropped) and JPEG renderings
 * from the decoded pixels, but no quality checks or models — evidence gets no moderation verdict.
 */
export function createEvidenceImager(limits: { maxPixels: number }): EvidenceImager {
  return {
    async render(content) {
      const probe = await probeImage(content, limits.maxPixels);
      if (!probe.ok) return { ok: false, message: probe.message };
      const decoded = await decodeImage(content, limits.maxPixels);
      if (!decoded.ok) return { ok: false, message: decoded.message };
      const files: VariantFile[] = [];
      for (const [size, side] of Object.entries(EVIDENCE_SIDES) as ['thumb' | 'large', number][]) {
        const { data, info } = await fromDecoded(decoded.image)
          .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: 82, mozjpeg: true })
          .toBuffer({ resolveWithObject: true });
        files.push({ size, format: 'jpeg', width: info.width, height: info.height, data });
      }
      return { ok: true, width: decoded.image.width, height: decoded.image.height, files };
    },
  };
}
