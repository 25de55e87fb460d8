import { fromDecoded, type DecodedImage } from '../pipeline/decode';

/** Exposure and composition are measured on a small copy: shares and means do not need detail. */
export const COMPOSITION_SIDE = 256;
/** A background pixel is light (every channel at least this)… */
const LIGHT_MIN = 225;
/** …and neutral (channels at most this far apart). */
const NEUTRAL_SPREAD = 24;
const HIGHLIGHT = 250;
const SHADOW = 8;

export interface Composition {
  meanLuminance: number;
  highlightClip: number;
  shadowClip: number;
  backgroundShare: number;
  productFill: number;
}

/**
 * Finds the clean light background as the light, neutral pixels connected to the frame's border (a
 * flood fill), so white inside the product (a label, a reflection) is product, not background. The
 * product is everything else: its bounding box gives the fill, and its pixels the highlight clipping
 * (a white background is meant to be pure white; a product blown out to white is not).
 */
export async function measureComposition(image: DecodedImage): Promise<Composition> {
  const { data, info } = await fromDecoded(image)
    .resize({ width: COMPOSITION_SIDE, height: COMPOSITION_SIDE, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const total = width * height;
  const luminance = new Uint8Array(total);
  const light = new Uint8Array(total);
  let lumSum = 0;
  let shadows = 0;
  for (let i = 0; i < total; i++) {
    const r = data[i * 3]!;
    const g = data[i * 3 + 1]!;
    const b = data[i * 3 + 2]!;
    const y = Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
    luminance[i] = y;
    lumSum += y;
    if (y <= SHADOW) shadows++;
    if (Math.min(r, g, b) >= LIGHT_MIN && Math.max(r, g, b) - Math.min(r, g, b) <= NEUTRAL_SPREAD)
      light[i] = 1;
  }

  // Flood fill from every light border pixel (iterative, 4-connected).
  const background = new Uint8Array(total);
  const stack = new Int32Array(total);
  let top = 0;
  const seed = (i: number) => {
    if (light[i] && !background[i]) {
      background[i] = 1;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < total - width) seed(i + width);
  }

  let backgroundPixels = 0;
  let productPixels = 0;
  let productHighlights = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let i = 0; i < total; i++) {
    if (background[i]) {
      backgroundPixels++;
      continue;
    }
    productPixels++;
    if (luminance[i]! >= HIGHLIGHT) productHighlights++;
    const x = i % width;
    const y = (i - x) / width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const productFill = maxX < 0 ? 0 : Math.max((maxX - minX + 1) / width, (maxY - minY + 1) / height);
  return {
    meanLuminance: lumSum / total,
    highlightClip: productPixels ? productHighlights / productPixels : 0,
    shadowClip: shadows / total,
    backgroundShare: backgroundPixels / total,
    productFill,
  };
}
