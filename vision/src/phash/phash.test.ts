import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../pipeline/decode';
import { giftBoxSvg, productPhoto, renderSvg } from '../pipeline/synthetic-photos';
import { dctHash, hammingDistance, perceptualHash } from './phash';

async function hashOf(image: Buffer): Promise<string> {
  const decoded = await decodeImage(image, 40e6);
  if (!decoded.ok) throw new Error(decoded.message);
  return perceptualHash(decoded.image);
}

describe('DCT perceptual hash', () => {
  it('is 64 bits, and a flat image or a ramp gives a stable answer', () => {
    const ramp = Array.from({ length: 1024 }, (_, i) => (i % 32) * 8);
    expect(dctHash(ramp)).toMatch(/^[0-9a-f]{16}$/);
    expect(dctHash(ramp)).toBe(dctHash([...ramp]));
    expect(() => dctHash([1, 2, 3])).toThrow(/1024/);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
  });

  it('survives resizing, recompression and a brightness change, and tells different pictures apart', async () => {
    const mug = await productPhoto(1000);
    const base = await hashOf(mug);
    const smaller = await hashOf(await sharp(mug).resize(500).jpeg({ quality: 60 }).toBuffer());
    const darker = await hashOf(await sharp(mug).modulate({ brightness: 0.9 }).webp().toBuffer());
    expect(hammingDistance(base, smaller)).toBeLessThanOrEqual(4);
    expect(hammingDistance(base, darker)).toBeLessThanOrEqual(4);
    const box = await hashOf(await renderSvg(giftBoxSvg(1000)));
    expect(hammingDistance(base, box)).toBeGreaterThan(16);
  });
});
