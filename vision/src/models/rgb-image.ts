import sharp from 'sharp';

/** Packed 8-bit RGB pixels, row-major, no alpha: what every model's pre-processing starts from. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Decodes once for all models. Transparent pixels are laid on white (how a shop page shows a cut-out
 * product), any colour space becomes sRGB. The caller has already rotated by EXIF and checked the pixel
 * limit; sharp's own limit still applies.
 */
export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

/** A sharp pipeline over the decoded pixels, for resizing and cropping without decoding again. */
export function pipelineOf(image: RgbImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}
