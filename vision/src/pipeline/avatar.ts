import sharp from 'sharp';
import { AVATAR_SIDES, type AvatarFile, type AvatarImager } from '@market/core';
import { decodeImage, fromDecoded, probeImage } from './decode';

/**
 * Profile photos: the product photos' safe decode (format from the bytes, the pixel limit checked on the
 * header before anything is decoded, EXIF rotation, every metadata block dropped), then a square crop
 * around the most salient part of the picture, rendered small in WebP and JPEG from the decoded pixels.
 */
export function createAvatarImager(limits: { maxPixels: number }): AvatarImager {
  return {
    async render(content) {
      const probe = await probeImage(content, limits.maxPixels);
      if (!probe.ok) return { ok: false, reason: probe.reason, message: probe.message };
      const decoded = await decodeImage(content, limits.maxPixels);
      if (!decoded.ok) return { ok: false, reason: decoded.reason, message: decoded.message };
      const files: AvatarFile[] = [];
      for (const side of AVATAR_SIDES) {
        const square = await fromDecoded(decoded.image)
          .resize({ width: side, height: side, fit: 'cover', position: 'attention' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        const raw = { raw: { width: square.info.width, height: square.info.height, channels: 3 as const } };
        files.push({
          side,
          format: 'webp',
          data: await sharp(square.data, raw).webp({ quality: 82 }).toBuffer(),
        });
        files.push({
          side,
          format: 'jpeg',
          data: await sharp(square.data, raw).jpeg({ quality: 85, mozjpeg: true }).toBuffer(),
        });
      }
      return { ok: true, files };
    },
  };
}
