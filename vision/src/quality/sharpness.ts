import { fromDecoded, type DecodedImage } from '../pipeline/decode';

/** Sharpness is measured at this longest side, so values compare across upload sizes. */
export const SHARPNESS_SIDE = 1024;
const GRID = 8;
const LAPLACIAN = [0, 1, 0, 1, -4, 1, 0, 1, 0];

/**
 * Variance of the Laplacian (sharp's `convolve`, read back as signed 16-bit so strong edges are not
 * clipped), taken per tile of an 8×8 grid and averaged over the sharpest quarter of tiles. A product
 * shot on plain white is mostly flat background, which would drag a whole-frame variance down and call
 * a crisp photo blurred; the product's own tiles decide instead. A blurred shot has no sharp tile at all.
 */
export async function measureSharpness(image: DecodedImage): Promise<number> {
  const { data, info } = await fromDecoded(image)
    .resize({ width: SHARPNESS_SIDE, height: SHARPNESS_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('b-w')
    .convolve({ width: 3, height: 3, kernel: LAPLACIAN, scale: 1, offset: 0 })
    .raw({ depth: 'short' })
    .toBuffer({ resolveWithObject: true });
  const lap = new Int16Array(data.buffer, data.byteOffset, data.length / 2);
  const { width, height } = info;
  const tiles: number[] = [];
  for (let ty = 0; ty < GRID; ty++) {
    // Skip the one-pixel border, where the convolution reads past the edge.
    const y0 = Math.max(1, Math.floor((ty * height) / GRID));
    const y1 = Math.min(height - 1, Math.floor(((ty + 1) * height) / GRID));
    for (let tx = 0; tx < GRID; tx++) {
      const x0 = Math.max(1, Math.floor((tx * width) / GRID));
      const x1 = Math.min(width - 1, Math.floor(((tx + 1) * width) / GRID));
      let sum = 0;
      let sumSq = 0;
      let n = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let x = x0; x < x1; x++) {
          const v = lap[row + x]!;
          sum += v;
          sumSq += v * v;
          n++;
        }
      }
      if (n > 0) {
        const mean = sum / n;
        tiles.push(sumSq / n - mean * mean);
      }
    }
  }
  if (tiles.length === 0) return 0;
  tiles.sort((a, b) => b - a);
  const top = tiles.slice(0, Math.max(1, Math.ceil(tiles.length / 4)));
  return top.reduce((a, b) => a + b, 0) / top.length;
}
