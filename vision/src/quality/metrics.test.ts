import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type DecodedImage } from '../pipeline/decode';
import { productPhoto } from '../pipeline/synthetic-photos';
import { measureQuality } from './metrics';

async function decoded(image: Buffer): Promise<DecodedImage> {
  const result = await decodeImage(image, 40e6);
  if (!result.ok) throw new Error(result.message);
  return result.image;
}

describe('quality metrics', () => {
  it('measures a clean product on white: sharp, well exposed, light background, product filling the frame', async () => {
    const m = await measureQuality(await decoded(await productPhoto(1000)));
    expect(m).toMatchObject({ width: 1000, height: 1000, aspectRatio: 1, shadowClip: 0 });
    expect(m.sharpness).toBeGreaterThan(100);
    expect(m.meanLuminance).toBeGreaterThan(180);
    expect(m.backgroundShare).toBeGreaterThan(0.5);
    expect(m.productFill).toBeGreaterThan(0.6);
    expect(m.highlightClip).toBeLessThan(0.2);
  });

  it('reads blur as a collapse of the Laplacian variance', async () => {
    const sharpShot = await measureQuality(await decoded(await productPhoto(1000)));
    const blurred = await measureQuality(await decoded(await productPhoto(1000, '', { blurSigma: 4 })));
    expect(blurred.sharpness).toBeLessThan(sharpShot.sharpness / 20);
  });

  it('sees a dark photo, a busy background and a small product', async () => {
    const dark = await measureQuality(
      await decoded(
        await sharp(await productPhoto(600))
          .linear(0.15, 0)
          .jpeg()
          .toBuffer(),
      ),
    );
    expect(dark.meanLuminance).toBeLessThan(50);
    const grey = await measureQuality(await decoded(await productPhoto(600, '', { background: '#4b5563' })));
    expect(grey.backgroundShare).toBe(0);
    const small = await sharp(await productPhoto(300))
      .extend({ top: 350, bottom: 350, left: 350, right: 350, background: '#ffffff' })
      .jpeg()
      .toBuffer();
    const far = await measureQuality(await decoded(small));
    expect(far.productFill).toBeLessThan(0.3);
    expect(far.backgroundShare).toBeGreaterThan(0.9);
    const banner = await measureQuality(
      await decoded(
        await sharp(await productPhoto(400))
          .resize(1200, 400)
          .toBuffer(),
      ),
    );
    expect(banner.aspectRatio).toBe(3);
  });
});
