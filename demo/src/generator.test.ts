import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leafForBestBuy, realListingsByLeaf } from './bestbuy';
import { bilingualColour, translateTitle } from './bestbuy-translate';
import { DEMO_EPOCH, generateDemoCatalog, generateDemoProducts, type DemoCatalog } from './generator';
import { plausiblePriceFen } from './pricing';

const CJK = /[\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]/;
const YEAR_MS = 365 * 86_400_000;

const catalog: DemoCatalog = generateDemoCatalog();
const leafIds = new Set(
  catalog.categories
    .filter((c) => !catalog.categories.some((child) => child.parentId === c.id))
    .map((c) => c.id),
);

/** Every number anywhere in a value, so one NaN deep in a variant cannot hide. */
function* numbersIn(value: unknown): Generator<number> {
  if (typeof value === 'number') yield value;
  else if (value instanceof Date) yield value.getTime();
  else if (Array.isArray(value)) for (const v of value) yield* numbersIn(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* numbersIn(v);
}

describe('generateDemoCatalog', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateDemoCatalog({ products: 2000, seed: 42 });
    const b = generateDemoCatalog({ products: 2000, seed: 42 });
    const c = generateDemoCatalog({ products: 2000, seed: 43 });
    expect(b).toEqual(a);
    expect(c.products.map((p) => p.name)).not.toEqual(a.products.map((p) => p.name));
  });

  it('streams the same products it returns', () => {
    const streamed = [...generateDemoProducts({ products: 500, seed: 7 })];
    expect(streamed).toEqual(generateDemoCatalog({ products: 500, seed: 7 }).products);
  });

  it('has the default shape: 5,000 products from 24 sellers over at least 20 leaves', () => {
    expect(catalog.products).toHaveLength(5000);
    expect(catalog.sellers).toHaveLength(24);
    expect(new Set(catalog.products.map((p) => p.categoryId)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(catalog.products.map((p) => p.sellerId)).size).toBeGreaterThanOrEqual(20);
  });

  it('builds a bilingual tree 2–3 levels deep with at least 8 departments and 30 leaves', () => {
    const byId = new Map(catalog.categories.map((c) => [c.id, c]));
    const depth = (id: string): number => {
      const parent = byId.get(id)!.parentId;
      return parent ? 1 + depth(parent) : 1;
    };
    expect(catalog.categories.filter((c) => c.parentId === null).length).toBeGreaterThanOrEqual(8);
    expect(leafIds.size).toBeGreaterThanOrEqual(30);
    for (const id of leafIds) expect([2, 3]).toContain(depth(id));
    for (const c of catalog.categories) {
      expect(c.id).toMatch(/^cat_[a-z_]+$/);
      expect(c.name).toMatch(LATIN);
      expect(c.nameZh).toMatch(CJK);
      if (c.parentId) expect(byId.has(c.parentId)).toBe(true);
    }
  });

  it('gives every category, seller, product and SKU a unique, stable id', () => {
    const unique = (ids: string[]) => expect(new Set(ids).size).toBe(ids.length);
    unique(catalog.categories.map((c) => c.id));
    unique(catalog.categories.map((c) => c.slug));
    unique(catalog.sellers.map((s) => s.id));
    unique(catalog.sellers.map((s) => s.email));
    unique(catalog.sellers.map((s) => s.shopSlug));
    unique(catalog.products.map((p) => p.id));
    unique(catalog.products.flatMap((p) => p.variants.map((v) => v.sku)));
    expect(catalog.products[122]!.id).toBe('p_000123');
    expect(catalog.products[122]!.variants[0]!.sku).toBe('SKU-000123-1');
    expect(catalog.sellers[6]!.id).toBe('seller_07');
  });

  it('never lists the same title twice in one shop', () => {
    const seen = new Set<string>();
    for (const p of catalog.products) {
      const key = `${p.sellerId}\u0000${p.name}`;
      expect(seen.has(key), `${p.sellerId} lists "${p.name}" twice`).toBe(false);
      seen.add(key);
    }
  });

  it('attaches products to leaf categories and known sellers', () => {
    const sellerIds = new Set(catalog.sellers.map((s) => s.id));
    for (const p of catalog.products) {
      expect(leafIds.has(p.categoryId), `${p.id} sits on ${p.categoryId}`).toBe(true);
      expect(sellerIds.has(p.sellerId)).toBe(true);
    }
  });

  it('prices in positive whole fen, with 1–4 variants, Mongo-safe attribute keys and sane stock', () => {
    let variants = 0;
    let soldOut = 0;
    for (const p of catalog.products) {
      expect(p.variants.length).toBeGreaterThanOrEqual(1);
      expect(p.variants.length).toBeLessThanOrEqual(4);
      for (const v of p.variants) {
        variants++;
        expect(Number.isInteger(v.price) && v.price > 0, `${v.sku} costs ${v.price}`).toBe(true);
        expect(Number.isInteger(v.stock) && v.stock >= 0 && v.stock <= 500).toBe(true);
        if (v.stock === 0) soldOut++;
        expect(v.title.length).toBeGreaterThan(0);
        for (const key of Object.keys(v.attributes)) expect(key).toMatch(/^[a-z]+$/);
      }
      expect(new Set(p.variants.map((v) => JSON.stringify(v.attributes))).size).toBe(p.variants.length);
      for (const n of numbersIn(p)) expect(Number.isFinite(n)).toBe(true);
    }
    expect(soldOut / variants).toBeGreaterThan(0.03);
    expect(soldOut / variants).toBeLessThan(0.07);
  });

  it('writes names and descriptions in both English and Chinese', () => {
    for (const p of catalog.products) {
      expect(p.name, p.id).toMatch(LATIN);
      expect(p.nameZh, `${p.id} ${p.nameZh}`).toMatch(CJK);
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.descriptionZh, p.id).toMatch(CJK);
      expect(p.brand.length).toBeGreaterThan(0);
      expect(p.tags.length).toBeGreaterThan(0);
    }
    for (const s of catalog.sellers) {
      expect(s.shopName).toMatch(LATIN);
      expect(s.shopNameZh).toMatch(CJK);
      expect(s.email).toMatch(/^[a-z0-9-]+@example\.com$/);
    }
  });

  it('gives every real Best Buy listing a Chinese title', () => {
    for (const list of realListingsByLeaf().values()) {
      for (const listing of list) expect(listing.nameZh, listing.name).toMatch(CJK);
    }
  });

  it('uses the real Best Buy listings on the phone leaves', () => {
    const phones = catalog.products.filter((p) => p.categoryId === 'cat_phone_cases');
    expect(phones.length).toBeGreaterThan(50);
    expect(phones.some((p) => /^(OtterBox|Incipio|Speck|Spigen) /.test(p.name))).toBe(true);
    expect(catalog.products.some((p) => p.categoryId === 'cat_phones' && p.brand === 'Samsung')).toBe(true);
  });

  it('skews popularity towards a few bestsellers', () => {
    const popularity = catalog.products.map((p) => p.popularity).sort((a, b) => a - b);
    const median = popularity[popularity.length >> 1]!;
    const top = popularity.slice(-50);
    expect(popularity[0]).toBeGreaterThanOrEqual(1);
    expect(top[0]!).toBeGreaterThan(20 * median);
  });

  it('dates products within the year before the fixed epoch', () => {
    const epoch = DEMO_EPOCH.getTime();
    for (const p of catalog.products) {
      expect(p.createdAt.getTime()).toBeLessThanOrEqual(epoch);
      expect(p.createdAt.getTime()).toBeGreaterThan(epoch - YEAR_MS);
    }
    const shifted = generateDemoCatalog({ products: 10, epoch: new Date('2030-06-01T00:00:00Z') });
    expect(shifted.products[0]!.createdAt.getUTCFullYear()).toBeGreaterThanOrEqual(2029);
  });

  it('serves every department with fewer sellers and opens branches with more', () => {
    const few = generateDemoCatalog({ products: 1000, sellers: 3 });
    expect(new Set(few.products.map((p) => p.sellerId))).toEqual(
      new Set(['seller_01', 'seller_02', 'seller_03']),
    );
    const many = generateDemoCatalog({ products: 1000, sellers: 30 });
    expect(many.sellers[24]!.shopSlug).toBe('huaqiangbei-digital-2');
    expect(new Set(many.sellers.map((s) => s.shopSlug)).size).toBe(30);
  });

  it('rejects nonsense options', () => {
    expect(() => generateDemoCatalog({ products: -1 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ sellers: 0 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ products: 1.5 })).toThrow(RangeError);
  });

  // Its speed is measured by `npm run bench:catalog`, not asserted here.
  it('generates 100,000 products with unique ids and SKUs', () => {
    const big = generateDemoCatalog({ products: 100_000 });
    expect(big.products).toHaveLength(100_000);
    expect(new Set(big.products.map((p) => p.id)).size).toBe(100_000);
    const skus = big.products.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(skus).size).toBe(skus.length);
  });
});

describe('building blocks', () => {
  it('rounds prices the way shops print them', () => {
    expect(plausiblePriceFen(12.3)).toBe(1290);
    expect(plausiblePriceFen(37)).toBe(3900);
    expect(plausiblePriceFen(354.9)).toBe(39900);
    expect(plausiblePriceFen(2450)).toBe(249900);
    expect(plausiblePriceFen(Number.NaN)).toBe(990);
  });

  it('maps Best Buy paths onto the demo leaves', () => {
    expect(
      leafForBestBuy(['Cell Phones', 'Unlocked Cell Phones', 'All Unlocked Cell Phones'], 'Moto G4'),
    ).toBe('phones');
    expect(
      leafForBestBuy(['Cell Phones', 'Cell Phone Accessories'], 'Powerstation 6000 mAh Portable Charger'),
    ).toBe('power-banks');
    expect(leafForBestBuy(['Cell Phones', 'Cell Phone Accessories'], 'Daydream View VR Headset')).toBe(
      'phone-gadgets',
    );
    expect(
      leafForBestBuy(
        ['Cell Phones', 'Cell Phone Accessories', 'Smartwatches & Accessories', 'Smartwatch Accessories'],
        'Band for Apple Watch',
      ),
    ).toBe('smartwatch-accessories');
  });

  it('translates titles and colours into Chinese', () => {
    expect(translateTitle('Octane Case for Apple iPhone 7', '手机壳')).toBe('Octane 适用苹果iPhone 7 保护壳');
    expect(translateTitle('Moto G4 Play 4G LTE with 16GB Memory Cell Phone (Unlocked)', '手机')).toBe(
      'Moto G4 Play 4G LTE 16GB 手机（无锁版）',
    );
    expect(bilingualColour('Rose Gold')).toBe('Rose Gold 玫瑰金色');
    expect(bilingualColour('Black/Clear')).toBe('Black/Clear 黑色/透明');
    expect(bilingualColour('Leopard Print')).toBe('Leopard Print');
  });

  it('ships a compact copy of the Best Buy data under 800 KB', () => {
    const size = statSync(new URL('./data/bestbuy-cell-phones.json', import.meta.url)).size;
    expect(size).toBeLessThan(800 * 1024);
  });
});
