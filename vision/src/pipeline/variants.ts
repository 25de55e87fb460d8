import type { VariantFile, VariantFormat, VariantSize } from '@market/core';
import { fromDecoded, type DecodedImage } from './decode';

/** Longest side of each variant; smaller originals are never enlarged. */
export const VARIANT_MAX_SIDE: Record<VariantSize, number> = { thumb: 240, medium: 640, large: 1600 };

/**
 * Names the settings below. Variant files and URLs carry it, so changing a size or a quality means new
 * names, and a browser's or CDN's "immutable" copy of an old rendering is never wrong.
 */
export const VARIANTS_VERSION = 'v1';

/**
 * Renders every size in AVIF and WebP (what modern browsers take) and JPEG (what every browser takes).
 * The input is decoded pixels, so no metadata can reach the files.
 */
export async function renderVariants(image: DecodedImage): Promise<VariantFile[]> {
  const sizes = Object.entries(VARIANT_MAX_SIDE) as [VariantSize, number][];
  const perSize = await Promise.all(
    sizes.map(async ([size, side]) => {
      const { data, info } = await fromDecoded(image)
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const scaled: DecodedImage = { data, width: info.width, height: info.height, channels: 3 };
      const encode = async (format: VariantFormat): Promise<VariantFile> => {
        const pipeline = fromDecoded(scaled);
        const encoded =
          format === 'avif'
            ? pipeline.avif({ quality: 50, effort: 2 })
            : format === 'webp'
              ? pipeline.webp({ quality: 80, effort: 4 })
              : pipeline.jpeg({ quality: 82, mozjpeg: true, progressive: true });
        return { size, format, width: info.width, height: info.height, data: await encoded.toBuffer() };
      };
      return Promise.all((['avif', 'webp', 'jpeg'] as const).map(encode));
    }),
  );
  return perSize.flat();
}
