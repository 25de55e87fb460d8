import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJK_FONT, deviceProduct, renderScene, type TextLine } from '../text/synthetic';
import {
  ModelsMissingError,
  defaultModelDir,
  loadPhotoModels,
  type ModelFindings,
  type PhotoModels,
} from './index';
import { SAMPLE_PHOTOS, assetPath } from './manifest';

/*
 * The real models on generated and real photographs. Needs `npm run setup:vision` (which .ci/run runs before
 * the tests); without it loadPhotoModels throws ModelsMissingError and every test here fails saying so.
 */
const modelDir = process.env.VISION_MODEL_DIR ?? defaultModelDir();
let models: PhotoModels;

beforeAll(async () => {
  models = await loadPhotoModels({ modelDir, concurrency: 2 });
});
afterAll(async () => {
  await models?.close();
});

const W = 900;
const H = 900;

async function productPhoto(lines: TextLine[] = []): Promise<Buffer> {
  const { png } = await renderScene({
    width: W,
    height: H,
    background: '#ffffff',
    product: deviceProduct(W, H),
    lines,
  });
  return png;
}

const allText = (f: ModelFindings) => f.text.boxes.map((b) => b.text).join(' ');
const digits = (s: string) => s.replace(/\D/g, '');
const kinds = (f: ModelFindings) => [...new Set(f.text.contacts.map((c) => c.kind))].sort();

describe('text and contacts on generated product photos', () => {
  it('finds no text on a clean product on white', async () => {
    const findings = await models.analyze(await productPhoto(), {});
    expect(findings.text.boxes).toEqual([]);
    expect(findings.text.coverage).toBe(0);
    expect(findings.text.contacts).toEqual([]);
  });

  it('reads a Chinese phone-number banner and reports the number', async () => {
    const findings = await models.analyze(
      await productPhoto([
        {
          text: '订购热线 138 0013 8000',
          x: W / 2,
          y: H - 50,
          size: 52,
          anchor: 'middle',
          color: '#ffffff',
          band: '#c1121f',
        },
      ]),
      {},
    );
    expect(findings.text.boxes.length).toBeGreaterThan(0);
    const banner = findings.text.boxes.filter((b) => b.y > H * 0.8);
    expect(banner.length).toBeGreaterThan(0);
    expect(digits(allText(findings))).toContain('13800138000');
    expect(allText(findings)).toMatch(/订购热线/);
    expect(findings.text.contacts.some((c) => c.kind === 'phone' && digits(c.text) === '13800138000')).toBe(
      true,
    );
    expect(findings.text.coverage).toBeGreaterThan(0.01);
  });

  it('finds a URL in the corner', async () => {
    const findings = await models.analyze(
      await productPhoto([
        { text: 'www.bestdeals-shop.com', x: W - 20, y: 40, size: 26, anchor: 'end', color: '#444444' },
      ]),
      {},
    );
    const box = findings.text.boxes[0];
    expect(box).toBeDefined();
    expect(box!.x).toBeGreaterThan(W / 2);
    expect(box!.y).toBeLessThan(80);
    expect(findings.text.contacts).toContainEqual({ kind: 'url', text: 'www.bestdeals-shop.com' });
  });

  it('finds an e-mail address', async () => {
    const findings = await models.analyze(
      await productPhoto([
        { text: '联系邮箱 sales@myshop.cn', x: 30, y: H - 40, size: 30, font: 'DejaVu Sans' },
      ]),
      {},
    );
    expect(kinds(findings)).toContain('email');
    expect(findings.text.contacts.find((c) => c.kind === 'email')!.text).toBe('sales@myshop.cn');
  });

  it('finds QQ and WeChat ids', async () => {
    const findings = await models.analyze(
      await productPhoto([
        { text: 'QQ 12345678', x: 30, y: 60, size: 32 },
        { text: '微信 shop_8866', x: 30, y: 120, size: 32 },
      ]),
      {},
    );
    expect(kinds(findings)).toEqual(expect.arrayContaining(['qq', 'wechat']));
    expect(findings.text.contacts.find((c) => c.kind === 'qq')!.text).toMatch(/12345678/);
    expect(findings.text.contacts.find((c) => c.kind === 'wechat')!.text).toMatch(/shop_8866/);
  });

  it('detects a faint slanted watermark across the product and reads it', async () => {
    const findings = await models.analyze(
      await productPhoto([
        {
          text: '样品 SAMPLE 仅供参考',
          x: W / 2,
          y: H / 2,
          size: 72,
          anchor: 'middle',
          color: '#808080',
          opacity: 0.3,
          rotate: -25,
        },
      ]),
      {},
    );
    expect(findings.text.boxes.length).toBeGreaterThan(0);
    expect(allText(findings)).toMatch(/SAMPLE/);
    expect(findings.text.coverage).toBeGreaterThan(0.03);
    expect(findings.text.contacts).toEqual([]);
  });

  it('reports boxes in original-image coordinates for a large photo', async () => {
    const big = await sharp(
      await productPhoto([{ text: 'QQ 87654321', x: 30, y: 60, size: 36, font: CJK_FONT }]),
    )
      .resize(2700, 2700)
      .png()
      .toBuffer();
    const findings = await models.analyze(big, {});
    const box = findings.text.boxes.find((b) => b.text.includes('87654321'));
    expect(box).toBeDefined();
    // Drawn at (30, ~30)-(~250, ~65) in the 900 px scene, so three times that here.
    expect(box!.x).toBeLessThan(150);
    expect(box!.y).toBeLessThan(200);
    expect(box!.width).toBeGreaterThan(500);
  });
});

describe('unsafe images and category fit on real photographs (scikit-image samples)', () => {
  const sample = (name: keyof typeof SAMPLE_PHOTOS) => readFile(assetPath(modelDir, SAMPLE_PHOTOS[name]));

  it('scores benign photographs as safe', async () => {
    for (const name of ['coffee', 'chelsea', 'astronaut', 'rocket'] as const) {
      const findings = await models.analyze(await sample(name), {});
      expect(findings.nsfw.score, name).toBeLessThan(0.2);
    }
  });

  it('flags a coffee cup uploaded as a phone case, and accepts it as coffee', async () => {
    const photo = await sample('coffee');
    const asCase = await models.analyze(photo, { categoryPath: ['phones-digital', 'mobile', 'phone-cases'] });
    expect(asCase.category.matches).toBe(false);
    expect(asCase.category.topLabels[0]!.label).toBe('espresso');
    const asCoffee = await models.analyze(photo, { categoryPath: ['cat_food_fresh', 'cat_coffee'] });
    expect(asCoffee.category.matches).toBe(true);
    expect(asCoffee.category.score).toBeGreaterThan(0.5);
  });

  it('says nothing (null) for a category ImageNet does not cover, or without a category', async () => {
    const photo = await sample('chelsea');
    expect(
      (await models.analyze(photo, { categoryPath: ['beauty', 'skincare'] })).category.matches,
    ).toBeNull();
    const bare = await models.analyze(photo, {});
    expect(bare.category.matches).toBeNull();
    expect(bare.category.topLabels.map((l) => l.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/cat/)]),
    );
  });
});

describe('loading', () => {
  it('refuses to start without the models and says how to get them', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'vision-no-models-'));
    try {
      const attempt = loadPhotoModels({ modelDir: empty });
      await expect(attempt).rejects.toBeInstanceOf(ModelsMissingError);
      await expect(attempt).rejects.toThrow(/npm run setup:vision/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('analyses concurrent calls to the same results as one at a time, and refuses work after close', async () => {
    const local = await loadPhotoModels({ modelDir, concurrency: 2 });
    const photos = [
      await productPhoto([{ text: 'QQ 12345678', x: 30, y: 60, size: 32 }]),
      await productPhoto([{ text: 'www.example.cn', x: 30, y: 60, size: 32 }]),
      await productPhoto(),
    ];
    const together = await Promise.all(photos.map((p) => local.analyze(p, {})));
    const alone = [];
    for (const p of photos) alone.push(await local.analyze(p, {}));
    expect(together.map((f) => f.text.contacts)).toEqual(alone.map((f) => f.text.contacts));
    await local.close();
    await expect(local.analyze(photos[0]!, {})).rejects.toThrow(/closed/);
  });
});
