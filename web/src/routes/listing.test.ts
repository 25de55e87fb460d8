import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoProduct } from '@market/demo';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';

let app: TestApp;
let client: ApiClient;
let products: DemoProduct[];
let ancestorsOf: Map<string, string[]>;

interface Card {
  id: string;
  priceMin: number;
  popularity: number;
  inStock: boolean;
  categoryId: string;
  shopId: string;
}

beforeAll(async () => {
  app = await startTestApp({ products: 400 });
  client = new ApiClient(app.url);
  products = app.catalog!.products;
  const categories = await app.core.categories.list();
  ancestorsOf = new Map(categories.map((c) => [c.id, [...c.ancestors, c.id]]));
});
afterAll(() => app?.close());

async function walk(query: string): Promise<Card[]> {
  const all: Card[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Card[]; nextCursor: string | null } } = await client.get(
      `/api/products?${query}&limit=37${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}

const priceMin = (p: DemoProduct) => Math.min(...p.variants.map((v) => v.price));
const inStock = (p: DemoProduct) => p.variants.some((v) => v.stock > 0);

describe('product listing', () => {
  it('walks every product exactly once across pages, newest first', async () => {
    const all = await walk('sort=newest');
    expect(all).toHaveLength(products.length);
    expect(new Set(all.map((c) => c.id)).size).toBe(products.length);
    const created = new Map(products.map((p) => [p.id, p.createdAt.getTime()]));
    for (let i = 1; i < all.length; i++) {
      expect(created.get(all[i - 1]!.id)!).toBeGreaterThanOrEqual(created.get(all[i]!.id)!);
    }
  });

  it('sorts by price both ways with stable ties', async () => {
    const asc = await walk('sort=price_asc');
    const desc = await walk('sort=price_desc');
    expect(asc).toHaveLength(products.length);
    expect(asc.map((c) => c.priceMin)).toEqual([...asc.map((c) => c.priceMin)].sort((a, b) => a - b));
    expect(desc.map((c) => c.priceMin)).toEqual([...desc.map((c) => c.priceMin)].sort((a, b) => b - a));
    expect(new Set(desc.map((c) => c.id)).size).toBe(products.length);
  });

  it('filters by category including its descendants', async () => {
    const department = [...ancestorsOf.values()].find((path) => path.length === 1)![0]!;
    const expected = products.filter((p) => ancestorsOf.get(p.categoryId)!.includes(department));
    expect(expected.length).toBeGreaterThan(0);
    const got = await walk(`category=${department}&sort=popular`);
    expect(got.map((c) => c.id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(got.map((c) => c.popularity)).toEqual([...got.map((c) => c.popularity)].sort((a, b) => b - a));
  });

  it('combines shop, price range and in-stock filters', async () => {
    const shopId = app.catalog!.sellers[0]!.id.replace(/^seller/, 'shop');
    const sellerId = app.catalog!.sellers[0]!.id;
    const [min, max] = [5000, 200000];
    const expected = products.filter(
      (p) => p.sellerId === sellerId && priceMin(p) >= min && priceMin(p) <= max && inStock(p),
    );
    const got = await walk(`shop=${shopId}&minPrice=${min}&maxPrice=${max}&inStock=true&sort=price_desc`);
    expect(got.map((c) => c.id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(got.every((c) => c.inStock && c.shopId === shopId)).toBe(true);
  });

  it('rejects malformed query strings with 422 naming the field', async () => {
    const cases: [string, string][] = [
      ['limit=abc', 'query.limit'],
      ['limit=0', 'query.limit'],
      ['limit=1000', 'query.limit'],
      ['sort=cheapest', 'query.sort'],
      ['minPrice=-5', 'query.minPrice'],
      ['minPrice=900&maxPrice=100', 'query.minPrice'],
      ['inStock=yes', 'query.inStock'],
      ['cursor=not-a-cursor', 'query.cursor'],
      ['category[$gt]=', 'query'],
      ['color=red', 'query'],
    ];
    for (const [query, field] of cases) {
      const res = await client.get(`/api/products?${query}`);
      expect(res.status, query).toBe(422);
      expect(
        res.error.fields.map((f: { field: string }) => f.field),
        query,
      ).toContain(field);
    }
    const repeated = await client.get('/api/products?sort=newest&sort=popular');
    expect(repeated.status).toBe(422);
    const otherSort = (await client.get('/api/products?sort=newest&limit=2')).body.nextCursor;
    expect((await client.get(`/api/products?sort=popular&cursor=${otherSort}`)).status).toBe(422);
    expect((await client.get('/api/products?category=cat_missing')).status).toBe(404);
  });
});
