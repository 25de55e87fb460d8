import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, probeImage } from './decode';
import { pixelFloodPng, productPhoto, sidewaysPhotoWithGps } from './synthetic-photos';
import { renderVariants } from './variants';

const LIMIT = 40_000_000;

describe('safe decoding', () => {
  it('detects the format from the bytes and reads the upright size from the header', async () => {
    const jpeg = await productPhoto(300);
    expect(await probeImage(jpeg, LIMIT)).toEqual({ ok: true, format: 'jpeg', width: 300, height: 300 });
    const png = await sharp(jpeg).png().toBuffer();
    expect(await probeImage(png, LIMIT)).toMatchObject({ ok: true, format: 'png' });
    const avif = await sharp(jpeg).avif().toBuffer();
    expect(await probeImage(avif, LIMIT)).toMatchObject({ ok: true, format: 'avif' });
    expect(await probeImage(await sidewaysPhotoWithGps(400, 300), LIMIT)).toMatchObject({
      width: 300,
      height: 400,
    });
  });

  it('refuses text, SVG and GIF whatever they are called', async () => {
    for (const content of [
      Buffer.from('not an image at all'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
        .gif()
        .toBuffer(),
    ]) {
      expect(await probeImage(content, LIMIT)).toMatchObject({ ok: false, reason: 'unsupported' });
    }
  });

  it('answers a pixel flood with a reason instead of allocating gigabytes', async () => {
    const flood = pixelFloodPng(30_000);
    expect(flood.length).toBeLessThan(512 * 1024);
    const probed = await probeImage(flood, LIMIT);
    expect(probed).toMatchObject({ ok: false, reason: 'pixel_limit' });
    const decoded = await decodeImage(flood, LIMIT);
    expect(decoded).toMatchObject({ ok: false, reason: 'pixel_limit' });
    expect(decoded.ok ? '' : decoded.message).toMatch(/30000×30000/);
    // Within the limit the same kind of file decodes fine.
    expect(await decodeImage(pixelFloodPng(2_000), LIMIT)).toMatchObject({ ok: true });
  });

  it('refuses a truncated file instead of decoding half of it', async () => {
    const jpeg = await productPhoto(400);
    const decoded = await decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), LIMIT);
    expect(decoded).toMatchObject({ ok: false, reason: 'undecodable' });
  });

  it('turns the image upright and leaves no metadata in any variant', async () => {
    const decoded = await decodeImage(await sidewaysPhotoWithGps(1200, 900), LIMIT);
    if (!decoded.ok) throw new Error(decoded.message);
    expect([decoded.image.width, decoded.image.height]).toEqual([900, 1200]);
    const variants = await renderVariants(decoded.image);
    expect(variants.map((v) => `${v.size}/${v.format}`).sort()).toEqual(
      ['large', 'medium', 'thumb'].flatMap((s) => ['avif', 'jpeg', 'webp'].map((f) => `${s}/${f}`)).sort(),
    );
    for (const v of variants) {
      const meta = await sharp(v.data).metadata();
      expect(meta.format).toBe(v.format === 'avif' ? 'heif' : v.format);
      expect([meta.width, meta.height]).toEqual([v.width, v.height]);
      expect(v.height).toBeGreaterThan(v.width);
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
    }
    // Never enlarged: the 1200 px photo's "large" stays 1200 px tall.
    expect(variants.find((v) => v.size === 'large')!.height).toBe(1200);
  });
});
