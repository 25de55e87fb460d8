import type { PhotoMetrics } from '@market/core';
import type { DecodedImage } from '../pipeline/decode';
import { measureComposition } from './composition';
import { measureSharpness } from './sharpness';

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Every quality value of one decoded (upright) image; the verdict holds them against thresholds. */
export async function measureQuality(image: DecodedImage): Promise<PhotoMetrics> {
  const [sharpness, composition] = await Promise.all([measureSharpness(image), measureComposition(image)]);
  return {
    width: image.width,
    height: image.height,
    sharpness: round(sharpness, 1),
    meanLuminance: round(composition.meanLuminance, 1),
    highlightClip: round(composition.highlightClip, 4),
    shadowClip: round(composition.shadowClip, 4),
    aspectRatio: round(Math.max(image.width, image.height) / Math.min(image.width, image.height), 3),
    backgroundShare: round(composition.backgroundShare, 4),
    productFill: round(composition.productFill, 4),
  };
}
