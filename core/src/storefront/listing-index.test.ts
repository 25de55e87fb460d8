import { describe, expect, it } from 'vitest';
import { ListingIndex } from './listing-index';
import type { ListingDoc } from './model';
import type { ListingSort } from './types';

function doc(
  id: string,
  priceMin: number,
  popularity: number,
  created: number,
  extra: Partial<ListingDoc> = {},
): ListingDoc {
  return {
    _id: id,
    shopId: 's1',
    shopName: '',
    shopNameZh: '',
    sellerId: 'u1',
    urlHandle: id,
    categoryId: 'c2',
    categoryPath: ['c1', 'c2'],
    name: id,
    nameZh: '',
    brand: '',
    priceMin,
    priceMax: priceMin,
    options: [],
    imageUrl: '',
    available: 1,
    inStock: true,
    popularity,
    createdAt: new Date(created),
    hiddenBecause: null,
    sourceVersion: 1,
    ...extra,
  };
}

function walk(index: ListingIndex, sort: ListingSort, limit: number, filters: Record<string, unknown> = {}) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = index.query({ sort, limit, ...(cursor && { cursor }), ...filters });
    ids.push(...page.items.map((d) => d._id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('ListingIndex', () => {
  const random = (n: number) => Math.floor(Math.abs(Math.sin(n) * 10_000)) % 50; // many ties on purpose

  it('keeps every order consistent through inserts, moves and removals', () => {
    const index = new ListingIndex();
    index.reset(
      Array.from({ length: 200 }, (_, i) => doc(`p${i}`, random(i), random(i + 7), random(i + 13))),
    );
    for (let i = 0; i < 300; i++) {
      const id = `p${(i * 37) % 260}`;
      if (i % 11 === 0) index.remove(id);
      else index.upsert(doc(id, random(i * 3), random(i * 5), random(i * 7), { inStock: i % 4 !== 0 }));
    }
    const all = [...Array(260).keys()].map((i) => index.get(`p${i}`)).filter((d): d is ListingDoc => !!d);
    const expected = (key: (d: ListingDoc) => number, dir: number) =>
      [...all].sort((a, b) => dir * (key(a) - key(b)) || (a._id < b._id ? -dir : dir)).map((d) => d._id);
    expect(walk(index, 'price_asc', 7)).toEqual(expected((d) => d.priceMin, 1));
    expect(walk(index, 'price_desc', 9)).toEqual(expected((d) => d.priceMin, -1));
    expect(walk(index, 'popular', 50)).toEqual(expected((d) => d.popularity, -1));
    expect(walk(index, 'newest', 1000)).toEqual(expected((d) => d.createdAt.getTime(), -1));
    expect(walk(index, 'price_asc', 5, { inStock: true })).toEqual(
      expected((d) => d.priceMin, 1).filter((id) => index.get(id)!.inStock),
    );
  });

  it('filters by category path, shop and price range', () => {
    const index = new ListingIndex();
    index.reset([
      doc('a', 100, 1, 1),
      doc('b', 200, 1, 2, { categoryPath: ['c1', 'c3'], categoryId: 'c3' }),
      doc('c', 300, 1, 3, { shopId: 's2' }),
    ]);
    expect(walk(index, 'price_asc', 10, { categoryId: 'c1' })).toEqual(['a', 'b', 'c']);
    expect(walk(index, 'price_asc', 10, { categoryId: 'c3' })).toEqual(['b']);
    expect(walk(index, 'price_asc', 10, { shopId: 's2' })).toEqual(['c']);
    expect(walk(index, 'price_asc', 10, { minPrice: 150, maxPrice: 300 })).toEqual(['b', 'c']);
  });
});
