import { describe, expect, it } from 'vitest';
import { loadEvalCorpus } from '../../eval';
import { fixtureDocuments } from '../../test/contract-fixture';
import { PRICE_BUCKETS, type SearchDocument, type SearchFilters } from '../types';
import { FacetColumns, priceBucketOf } from './facets';

/** The facet rules written the plain way, over documents: what the typed columns must count. */
function expectedCounts(docs: SearchDocument[], filters: SearchFilters) {
  const passes = {
    category: (d: SearchDocument) =>
      !filters.categoryIds?.length || d.categoryPath.some((id) => filters.categoryIds!.includes(id)),
    brand: (d: SearchDocument) => !filters.brands?.length || filters.brands.includes(d.brand),
    shop: (d: SearchDocument) => !filters.shopIds?.length || filters.shopIds.includes(d.shopId),
    price: (d: SearchDocument) =>
      !filters.priceBuckets?.length || (filters.priceBuckets as string[]).includes(priceBucketOf(d)),
    rating: (d: SearchDocument) =>
      filters.minRating == null || (d.rating != null && d.rating >= filters.minRating),
    inStock: (d: SearchDocument) => filters.inStock == null || d.inStock === filters.inStock,
  };
  const others = (facet: keyof typeof passes) => (d: SearchDocument) =>
    Object.entries(passes).every(([name, pass]) => name === facet || pass(d));
  const tally = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return Object.fromEntries(counts);
  };
  return {
    matched: docs
      .filter(others('none' as never))
      .map((d) => d.id)
      .sort(),
    category: tally(docs.filter(others('category')).flatMap((d) => d.categoryPath)),
    brand: tally(docs.filter(others('brand')).map((d) => d.brand)),
    shop: tally(docs.filter(others('shop')).map((d) => d.shopId)),
    price: tally(docs.filter(others('price')).map(priceBucketOf)),
    rating: tally(
      docs
        .filter(others('rating'))
        .flatMap((d) => [4, 3, 2, 1].filter((k) => d.rating != null && d.rating >= k).map(String)),
    ),
    inStock: tally(docs.filter(others('inStock')).map((d) => String(d.inStock))),
  };
}

describe('facet columns', () => {
  const corpus = [...fixtureDocuments(), ...loadEvalCorpus().map((p) => p.document)];
  // Ratings and shops of every kind, so each filter has something to do.
  const docs = corpus.map((d, i) => ({
    ...d,
    rating: i % 7 === 0 ? null : 1 + (i % 40) / 10,
    shopId: `shop_${i % 5}`,
    shopName: `Shop ${i % 5}`,
    inStock: i % 9 !== 0,
  }));
  const brands = [...new Set(docs.map((d) => d.brand))];
  const categories = [...new Set(docs.flatMap((d) => d.categoryPath))];
  const filterSets: SearchFilters[] = [
    {},
    { inStock: true },
    { inStock: false, minRating: 3 },
    { brands: brands.slice(0, 3), priceBuckets: ['100-500', '500-1000'] },
    { categoryIds: [categories[1]!, 'no_such_category'], shopIds: ['shop_1', 'shop_3'], minRating: 4 },
    {
      categoryIds: [categories[0]!],
      brands: [brands[0]!, brands[5]!],
      shopIds: ['shop_2'],
      priceBuckets: [PRICE_BUCKETS[0]!.key, '5000+'],
      minRating: 2,
      inStock: true,
    },
  ];

  it('filters and counts as the facet rules say, also after removals reuse slots', () => {
    const columns = new FacetColumns();
    for (const doc of docs) columns.set(doc);
    // Remove a third, change a few, add them back under other ids: their slots are reused.
    const removed = docs.filter((_, i) => i % 3 === 0);
    for (const doc of removed) expect(columns.delete(doc.id)).toBe(true);
    const readded = removed.map((d, i) => ({
      ...d,
      id: `${d.id}_again`,
      brand: i % 2 ? d.brand : 'Newbrand',
    }));
    for (const doc of readded) columns.set(doc);
    const live = [...docs.filter((_, i) => i % 3 !== 0), ...readded];
    expect(columns.size).toBe(live.length);

    for (const filters of filterSets) {
      const { matched, facets } = columns.filterAndCount(columns.allSlots(), filters);
      const expected = expectedCounts(live, filters);
      expect(matched.map((slot) => columns.documents[slot]!.id).sort()).toEqual(expected.matched);
      const counts = (values: { value: string; count: number }[]) =>
        Object.fromEntries(values.map((v) => [v.value, v.count]));
      expect(counts(facets.category)).toEqual(expected.category);
      expect(counts(facets.shop)).toEqual(expected.shop);
      expect(counts(facets.price)).toEqual(expected.price);
      expect(counts(facets.rating)).toEqual(expected.rating);
      expect(counts(facets.inStock)).toEqual(expected.inStock);
      // Brands are cut to the 50 largest (selected ones kept), largest first.
      const brandCounts = Object.entries(expected.brand).sort(
        (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
      );
      const kept = new Set(brandCounts.slice(0, 50).map(([b]) => b));
      for (const b of filters.brands ?? []) if (expected.brand[b]) kept.add(b);
      expect(counts(facets.brand)).toEqual(Object.fromEntries(brandCounts.filter(([b]) => kept.has(b))));
      expect(facets.shop.every((v) => v.label === `Shop ${v.value.slice(-1)}`)).toBe(true);
    }
  });

  it('counts only the candidates it is given', () => {
    const columns = new FacetColumns();
    for (const doc of docs) columns.set(doc);
    const some = docs.slice(0, 25);
    const slots = some.map((d) => columns.slot(d.id)!);
    const { matched, facets } = columns.filterAndCount(slots, { inStock: true });
    expect(matched.length).toBe(some.filter((d) => d.inStock).length);
    const total = facets.inStock.reduce((n, v) => n + v.count, 0);
    expect(total).toBe(25);
  });
});
