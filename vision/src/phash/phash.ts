import { fromDecoded, type DecodedImage } from '../pipeline/decode';

const SIZE = 32;
const LOW = 8;

/** cos((2x + 1)uπ / 2N) for the LOW lowest frequencies u over the SIZE samples x. */
const COSINES: Float64Array[] = Array.from({ length: LOW }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/**
 * The 64-bit DCT perceptual hash of a 32×32 greyscale image (row-major, 1024 values): the 8×8 lowest
 * frequencies of its 2-D DCT-II, one bit each, set when the coefficient is above their median. Resizing,
 * recompression, small colour or brightness changes leave most bits alone; a different picture flips
 * about half. Returned as 16 hex digits.
 */
export function dctHash(pixels: ArrayLike<number>): string {
  if (pixels.length !== SIZE * SIZE) throw new Error(`dctHash needs ${SIZE * SIZE} pixels`);
  // Separable: rows first (32 rows × 8 frequencies), then columns of that (8 × 8).
  const rows = new Float64Array(SIZE * LOW);
  for (let y = 0; y < SIZE; y++) {
    for (let u = 0; u < LOW; u++) {
      const c = COSINES[u]!;
      let sum = 0;
      for (let x = 0; x < SIZE; x++) sum += pixels[y * SIZE + x]! * c[x]!;
      rows[y * LOW + u] = sum;
    }
  }
  const coefficients = new Float64Array(LOW * LOW);
  for (let v = 0; v < LOW; v++) {
    const c = COSINES[v]!;
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let y = 0; y < SIZE; y++) sum += rows[y * LOW + u]! * c[y]!;
      coefficients[v * LOW + u] = sum;
    }
  }
  const sorted = Float64Array.from(coefficients).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++)
      value = (value << 1) | (coefficients[nibble * 4 + bit]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

/** The perceptual hash of a decoded image. */
export async function perceptualHash(image: DecodedImage): Promise<string> {
  const grey = await fromDecoded(image)
    .resize(SIZE, SIZE, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return dctHash(grey);
}

function popcount32(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits that differ between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  return (
    popcount32((parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0) +
    popcount32((parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16)) >>> 0)
  );
}
