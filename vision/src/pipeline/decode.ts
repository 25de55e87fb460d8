import sharp from 'sharp';
import type { ProbeResult } from '@market/core';

/** An EXIF-rotated, metadata-free image as 8-bit sRGB pixels: the one input every later stage reads. */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export type DecodeResult =
  { ok: true; image: DecodedImage } | { ok: false; reason: 'undecodable' | 'pixel_limit'; message: string };

const UNSUPPORTED = 'The file is not an image we can read: send a JPEG, PNG, WebP or AVIF photo';

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);
}

export function pixelLimitMessage(width: number, height: number, maxPixels: number): string {
  return `The image is ${width}×${height} pixels (${megapixels(width * height)} megapixels); at most ${megapixels(maxPixels)} megapixels are accepted`;
}

/**
 * Reads only the header: the format comes from the bytes, never from a file name, and the declared size
 * is held against the pixel limit before anything is decoded. (libvips refuses to even read the header
 * of an image beyond its own default limit, hence `limitInputPixels: false` here: nothing is decoded.)
 */
export async function probeImage(content: Buffer, maxPixels: number): Promise<ProbeResult> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(content, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: 'unsupported', message: UNSUPPORTED };
  }
  let format: 'jpeg' | 'png' | 'webp' | 'avif';
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
      format = meta.format;
      break;
    case 'heif':
      // HEIF holds AVIF (AV1) or Apple's HEIC (HEVC); only AV1 has a decoder in the bundled libvips.
      if (meta.compression !== 'av1')
        return {
          ok: false,
          reason: 'unsupported',
          message: 'HEIC photos are not supported: export the photo as JPEG and upload it again',
        };
      format = 'avif';
      break;
    default:
      return { ok: false, reason: 'unsupported', message: UNSUPPORTED };
  }
  const { width, height } = meta;
  if (!width || !height) return { ok: false, reason: 'unsupported', message: UNSUPPORTED };
  if (width * height > maxPixels)
    return { ok: false, reason: 'pixel_limit', message: pixelLimitMessage(width, height, maxPixels) };
  const rotated = (meta.orientation ?? 1) >= 5;
  return { ok: true, format, width: rotated ? height : width, height: rotated ? width : height };
}

/**
 * Decodes safely: libvips refuses more than `maxPixels` before allocating (a decompression bomb is an
 * answer, not an out-of-memory crash), a truncated file fails instead of decoding half grey, the image is
 * turned upright by its EXIF orientation, transparency is flattened onto white, and only pixels come out:
 * no EXIF, GPS, ICC or XMP survives into anything derived from it.
 */
export async function decodeImage(content: Buffer, maxPixels: number): Promise<DecodeResult> {
  try {
    const { data, info } = await sharp(content, {
      limitInputPixels: maxPixels,
      failOn: 'truncated',
      pages: 1,
    })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels after flattening`);
    return { ok: true, image: { data, width: info.width, height: info.height, channels: 3 } };
  } catch (err) {
    const message = (err as Error).message;
    if (/pixel limit/i.test(message)) {
      const meta = await sharp(content, { limitInputPixels: false })
        .metadata()
        .catch(() => null);
      return {
        ok: false,
        reason: 'pixel_limit',
        message: meta?.width
          ? pixelLimitMessage(meta.width, meta.height ?? 0, maxPixels)
          : 'The image has more pixels than accepted',
      };
    }
    return { ok: false, reason: 'undecodable', message: `The image could not be decoded: ${message}` };
  }
}

/** A sharp pipeline over decoded pixels (no metadata to carry along). */
export function fromDecoded(image: DecodedImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}
