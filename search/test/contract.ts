/**
 * The search contract: what every SearchEngine adapter must do, as one vitest suite. The embedded engine
 * runs it always; Elasticsearch whenever ELASTICSEARCH_URL is set. Semantics pinned here (not in the
 * engines) so both behave the same:
 *
 * - Text: every query word must match (after typos, prefix on the last word, synonyms, Chinese bigrams).
 * - Filters: OR inside a list, AND across lists; a category matches its descendants; price buckets are
 *   by `priceMin`; `minRating` excludes unrated products; `inStock: true` keeps in-stock products only
 *   (`false` keeps out-of-stock only; unset means no filter).
 * - Facets count with the text query and every *other* facet's filters; a value may be absent when its
 *   count is 0.
 * - Sorts: price by `priceMin`; newest by `createdAt`; popular by `popularity`; relevance puts an in-stock
 *   product before an out-of-stock one of equal text score, and the more popular first on a tie.
 */
import { beforeAll, beforeEach, afterAll, describe, expect, it } from 'vitest';
import { fixtureDocuments } from './contract-fixture';
import type { FacetValue, SearchDocument, SearchEngine, SearchQuery, SearchResult } from '../src/types';

const FIXTURE = fixtureDocuments();
const byId = new Map(FIXTURE.map((d) => [d.id, d]));

function query(q: string, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { q, filters: {}, sort: 'relevance', page: 1, pageSize: 50, ...extra };
}
const ids = (result: SearchResult) => result.hits.map((h) => h.id);
const count = (values: FacetValue[], value: string) => values.find((v) => v.value === value)?.count ?? 0;
const expected = (predicate: (d: SearchDocument) => boolean) => FIXTURE.filter(predicate).length;

export function runSearchContract(label: string, createEngine: () => Promise<SearchEngine>): void {
  describe(`search contract: ${label}`, () => {
    let engine: SearchEngine;
    const search = (q: string, extra: Partial<SearchQuery> = {}) => engine.search(query(q, extra));
    const load = async () => {
      await engine.clear();
      await engine.upsert(FIXTURE.map((d) => ({ ...d })));
      await engine.refresh();
    };

    beforeAll(async () => {
      engine = await createEngine();
      await load();
    });
    afterAll(async () => {
      await engine.close();
    });

    describe('text matching', () => {
      it('forgives typos scaled by word length, swapped letters included', async () => {
        expect(ids(await search('iphnoe'))).toContain('iphone15');
        expect(ids(await search('headphnoes'))).toContain('sonyxm5');
        expect(ids(await search('samsnug galaxy'))).toContain('galaxy24');
      });

      it('completes the last word as a prefix', async () => {
        expect(ids(await search('headph'))).toContain('sonyxm5');
        expect(ids(await search('sony headph'))).toContain('sonyxm5');
        expect(ids(await search('thinkp'))).toContain('thinkpad');
      });

      it('segments Chinese so a shorter phrase finds a longer one', async () => {
        expect(ids(await search('蓝牙耳机'))).toContain('sonyxm5');
        expect(ids(await search('耳机'))).toEqual(expect.arrayContaining(['sonyxm5', 'jbltune', 'boseqc']));
        expect(ids(await search('连衣裙'))).toEqual(expect.arrayContaining(['floral', 'slipdress']));
        expect(ids(await search('索尼 耳机'))).toEqual(['sonyxm5']);
      });

      it('applies synonyms across languages', async () => {
        expect(ids(await search('手机'))).toContain('rugged');
        expect(ids(await search('phone'))).toContain('flip');
        expect(ids(await search('笔记本'))).toEqual(
          expect.arrayContaining(['thinkpad', 'macbook', 'matebook']),
        );
        expect(ids(await search('earphones'))).toContain('sonyxm5');
      });

      it('ranks documents that match every word above partial matches', async () => {
        const result = await search('apple laptop');
        expect(ids(result)[0]).toBe('macbook');
        const full = result.hits[0]!.score;
        expect(result.hits.slice(1).every((h) => h.score < full)).toBe(true);
      });

      it('ranks name matches above description matches', async () => {
        const result = await search('apple');
        expect(ids(result)).toContain('floral');
        expect(result.hits[0]!.document.brand).toBe('Apple');
        expect(ids(result).indexOf('floral')).toBe(result.hits.length - 1);
      });

      it('puts in-stock first and breaks ties by popularity', async () => {
        expect(ids(await search('baseus magnetic power bank'))).toEqual(['bank_c', 'bank_a', 'bank_b']);
      });

      it('highlights matches with <mark> and escapes the rest', async () => {
        const [hit] = (await search('headphones')).hits.filter((h) => h.id === 'sonyxm5');
        expect(hit?.highlights.name).toContain('<mark>Headphones</mark>');
        const markup = (await search('puzzle')).hits.find((h) => h.id === 'markup');
        expect(markup?.highlights.name).toBe('Tom &amp; Jerry &lt;Deluxe&gt; <mark>Puzzle</mark> Blocks');
        const chinese = (await search('蓝牙耳机')).hits.find((h) => h.id === 'sonyxm5');
        expect(chinese?.highlights.nameZh).toMatch(/<mark>[^<]*蓝牙/);
      });

      it('proposes a correction only when nothing matches and the correction does', async () => {
        const result = await search('cahrgr');
        expect(result.total).toBe(0);
        expect(result.didYouMean).toBeTruthy();
        expect((await search(result.didYouMean!)).total).toBeGreaterThan(0);
        expect((await search('charger')).didYouMean).toBeNull();
        expect((await search('qqqqzzzz')).didYouMean).toBeNull();
      });

      it('says which words it read when typo tolerance found the results, and only then', async () => {
        const typo = await search('samsnug galaxy ');
        expect(ids(typo)).toContain('galaxy24');
        expect(typo.correctedQuery).toBe('samsung galaxy');
        expect((await search('headphnoes ')).correctedQuery).toBe('headphones');
        expect((await search('samsung galaxy')).correctedQuery).toBeNull();
        // A last word still being typed is a prefix, not a typo.
        expect((await search('headph')).correctedQuery).toBeNull();
        const nothing = await search('cahrgr');
        expect(nothing.correctedQuery).toBeNull();
      });
    });

    describe('query understanding (lexicon, last word, fallback)', () => {
      const brandOf = (id: string) => byId.get(id)!.brand;
      const phones = (result: SearchResult) =>
        ids(result).filter((id) => byId.get(id)!.categoryId === 'c_phones');

      it('reads 苹果手机 as Apple phones, English-only listings included, and never another brand', async () => {
        const result = await search('苹果手机');
        expect(ids(result)).toEqual(expect.arrayContaining(['iphone15', 'iphone14', 'imp_iphone']));
        expect(phones(result).every((id) => brandOf(id) === 'Apple')).toBe(true);
        expect(phones(result).slice(0, 3).sort()).toEqual(['imp_iphone', 'iphone14', 'iphone15']);
        expect(result.ignored).toEqual([]);
        const google = await search('谷歌手机');
        expect(phones(google)).toEqual(['imp_pixel']);
      });

      it('finds an English listing of a colour from a Chinese colour and type', async () => {
        // The colour is an attribute: other cases may follow as partial matches, below.
        const blue = ids(await search('蓝色手机壳'));
        expect(blue[0]).toBe('imp_case_blue');
        expect(blue.indexOf('imp_case_black')).not.toBe(0);
        expect(ids(await search('黑色 保护壳'))).toContain('imp_case_black');
      });

      it('ranks the typed word above its synonym', async () => {
        // "cover" and "case" are one lexicon entry; the only product that says "cover" comes first although
        // it is the least popular of them.
        const cover = await search('cover');
        expect(ids(cover)[0]).toBe('imp_cover');
        expect(ids(cover)).toEqual(expect.arrayContaining(['imp_case_black', 'spigen']));
        const cases = await search('case');
        expect(ids(cases).indexOf('imp_cover')).toBeGreaterThan(ids(cases).indexOf('imp_case_black'));
      });

      it('does not expand a complete last word as a prefix into another brand', async () => {
        const plans = ids(await search('plans'));
        expect(plans).toContain('imp_plans');
        expect(plans).not.toContain('imp_plantronics');
        expect(ids(await search('case'))).not.toContain('imp_casetify');
        // A word still being typed is a prefix.
        expect(ids(await search('plantr'))).toContain('imp_plantronics');
        expect(ids(await search('case'))).toContain('imp_case_black');
      });

      it('reports a word it had to leave out, and never leaves out a brand that matches', async () => {
        const nokia = await search('诺基亚 耳机');
        expect(nokia.ignored).toEqual(['诺基亚']);
        expect(ids(nokia)).toEqual(expect.arrayContaining(['sonyxm5', 'jbltune', 'boseqc']));
        // Huawei sells no headphones here: the brand is honoured (no headphones of other brands).
        const huawei = await search('华为 耳机');
        expect(huawei.ignored).toEqual([]);
        expect(ids(huawei).every((id) => brandOf(id) === 'Huawei')).toBe(true);
      });
    });

    describe('filters and facets', () => {
      it('filters a category including its descendants', async () => {
        const result = await search('', { filters: { categoryIds: ['c_mobile'] } });
        expect(result.total).toBe(expected((d) => d.categoryPath.includes('c_mobile')));
        expect(result.hits.every((h) => h.document.categoryPath.includes('c_mobile'))).toBe(true);
      });

      it('ORs values inside a filter and ANDs across filters', async () => {
        const brands = await search('', { filters: { brands: ['Apple', 'Samsung'] } });
        expect(brands.total).toBe(expected((d) => d.brand === 'Apple' || d.brand === 'Samsung'));
        const both = await search('', {
          filters: { brands: ['Apple', 'Samsung'], categoryIds: ['c_phones'] },
        });
        expect(new Set(ids(both))).toEqual(
          new Set(['iphone15', 'iphone14', 'galaxy24', 'galaxya15', 'imp_iphone']),
        );
      });

      it('filters by price bucket, stock and minimum rating', async () => {
        const cheap = await search('', { filters: { priceBuckets: ['0-100', '100-500'] } });
        expect(cheap.total).toBe(expected((d) => d.priceMin < 50_000));
        const inStock = await search('', { filters: { inStock: true } });
        expect(inStock.total).toBe(expected((d) => d.inStock));
        const rated = await search('', { filters: { minRating: 4.5 } });
        expect(rated.total).toBe(expected((d) => d.rating !== null && d.rating >= 4.5));
      });

      it('counts every facet over the matched set', async () => {
        const { facets, total } = await search('');
        expect(total).toBe(FIXTURE.length);
        expect(count(facets.brand, 'Apple')).toBe(expected((d) => d.brand === 'Apple'));
        expect(count(facets.category, 'c_digital')).toBe(
          expected((d) => d.categoryPath.includes('c_digital')),
        );
        expect(count(facets.category, 'c_phones')).toBe(expected((d) => d.categoryId === 'c_phones'));
        expect(count(facets.shop, 's_east')).toBe(expected((d) => d.shopId === 's_east'));
        expect(count(facets.price, '5000+')).toBe(expected((d) => d.priceMin >= 500_000));
        expect(count(facets.rating, '4')).toBe(expected((d) => d.rating !== null && d.rating >= 4));
        expect(count(facets.inStock, 'false')).toBe(expected((d) => !d.inStock));
      });

      it("counts each facet with the other facets' filters but not its own", async () => {
        const { facets } = await search('', { filters: { brands: ['Apple'] } });
        // Ticking Apple leaves the other brands' counts as they were…
        expect(count(facets.brand, 'Samsung')).toBe(expected((d) => d.brand === 'Samsung'));
        // …while every other facet now counts Apple products only.
        expect(count(facets.category, 'c_laptops')).toBe(1);
        expect(count(facets.inStock, 'true')).toBe(expected((d) => d.brand === 'Apple' && d.inStock));
        const phones = await search('phone', { filters: { inStock: true, brands: ['Samsung'] } });
        expect(ids(phones)).toEqual(['galaxy24']);
        expect(count(phones.facets.inStock, 'false')).toBe(1);
        expect(count(phones.facets.brand, 'Samsung')).toBe(1);
      });
    });

    describe('sorting and paging', () => {
      it('sorts by price, date and popularity exactly', async () => {
        const by = async (sort: SearchQuery['sort']) =>
          (await search('', { sort })).hits.map((h) => h.document);
        const ascending = (values: (number | string)[]) =>
          values.every((v, i) => i === 0 || values[i - 1]! <= v);
        expect(ascending((await by('price_asc')).map((d) => d.priceMin))).toBe(true);
        expect(ascending((await by('price_desc')).map((d) => -d.priceMin))).toBe(true);
        expect(ascending((await by('newest')).map((d) => d.createdAt).reverse())).toBe(true);
        expect(ascending((await by('popular')).map((d) => -d.popularity))).toBe(true);
        expect(ids(await search('laptop', { sort: 'price_asc' }))).toEqual([
          'matebook',
          'macbook',
          'thinkpad',
        ]);
        expect(ids(await search('laptop', { sort: 'price_desc' }))).toEqual([
          'thinkpad',
          'macbook',
          'matebook',
        ]);
      });

      it('pages without duplicates and with a stable total', async () => {
        const seen: string[] = [];
        for (let page = 1; page <= Math.ceil(FIXTURE.length / 7); page++) {
          const result = await search('', { page, pageSize: 7, sort: 'popular' });
          expect(result.total).toBe(FIXTURE.length);
          seen.push(...ids(result));
        }
        expect(seen.length).toBe(FIXTURE.length);
        expect(new Set(seen).size).toBe(FIXTURE.length);
      });
    });

    describe('suggest', () => {
      it('completes product names, brands and categories', async () => {
        const words = await engine.suggest('headph', 5);
        expect(words.some((s) => s.text.includes('Headphones') && s.highlighted.includes('<mark>'))).toBe(
          true,
        );
        expect((await engine.suggest('sams', 5)).some((s) => s.text.includes('Samsung'))).toBe(true);
        expect(
          (await engine.suggest('iphnoe', 5)).some(
            (s) => s.productId === 'iphone15' || s.productId === 'iphone14',
          ),
        ).toBe(true);
        expect((await engine.suggest('耳机', 5)).some((s) => s.text.includes('耳机'))).toBe(true);
        expect(await engine.suggest('qqqqzzzz', 5)).toEqual([]);
      });

      it('completes the query from matching names ahead of the products', async () => {
        const found = await engine.suggest('samsung gal', 8);
        const completion = found.findIndex((s) => s.text === 'samsung galaxy' && !s.productId);
        expect(completion).toBeGreaterThanOrEqual(0);
        expect(found[completion]!.highlighted).toBe('<mark>samsung gal</mark>axy');
        const firstProduct = found.findIndex((s) => s.productId);
        expect(firstProduct).toBeGreaterThan(completion);
        // Every completion finds products.
        for (const s of found.filter((x) => !x.productId))
          expect((await search(s.text)).total).toBeGreaterThan(0);
        const chinese = await engine.suggest('蓝牙', 8);
        expect(chinese.some((s) => !s.productId && s.text.startsWith('蓝牙') && s.text.length > 2)).toBe(
          true,
        );
      });
    });

    describe('writes', () => {
      beforeEach(load);

      it('knows versions, stats and health', async () => {
        const versions = await engine.versions();
        expect(versions.size).toBe(FIXTURE.length);
        expect(versions.get('iphone15')).toBe(1);
        expect((await engine.stats()).documents).toBe(FIXTURE.length);
        expect((await engine.health()).ok).toBe(true);
      });

      it('deletes', async () => {
        await engine.remove(['sonyxm5']);
        await engine.refresh();
        expect(ids(await search('sony'))).not.toContain('sonyxm5');
        expect((await engine.versions()).has('sonyxm5')).toBe(false);
      });

      it('finds a renamed product by its new name only', async () => {
        const renamed = {
          name: 'Sony ULT Wear Headphones',
          nameZh: '索尼 ULT Wear 耳机',
          description: 'Sony ULT Wear.',
          descriptionZh: '索尼耳机。',
        };
        await engine.upsert([{ ...byId.get('sonyxm5')!, ...renamed, version: 2 }]);
        await engine.refresh();
        expect(ids(await search('ult wear'))).toContain('sonyxm5');
        expect(ids(await search('WH-1000XM5'))).not.toContain('sonyxm5');
      });

      it('ignores an older version', async () => {
        await engine.upsert([{ ...byId.get('macbook')!, name: 'Apple MacBook Pro 16 Laptop', version: 5 }]);
        await engine.upsert([{ ...byId.get('macbook')!, name: 'Apple MacBook Neo Laptop', version: 4 }]);
        await engine.refresh();
        expect(ids(await search('neo'))).toEqual([]);
        const current = (await search('macbook pro')).hits.find((h) => h.id === 'macbook');
        expect(current?.document.name).toBe('Apple MacBook Pro 16 Laptop');
        expect((await engine.versions()).get('macbook')).toBe(5);
      });

      it('shows a stock change in results and facets', async () => {
        const before = await search('thinkpad');
        expect(count(before.facets.inStock, 'true')).toBe(1);
        await engine.upsert([{ ...byId.get('thinkpad')!, available: 0, inStock: false, version: 2 }]);
        await engine.refresh();
        const after = await search('thinkpad');
        expect(after.hits[0]!.document.inStock).toBe(false);
        expect(count(after.facets.inStock, 'false')).toBe(1);
        expect(ids(await search('thinkpad', { filters: { inStock: true } }))).toEqual([]);
      });

      it('clears', async () => {
        await engine.clear();
        await engine.refresh();
        expect((await engine.stats()).documents).toBe(0);
        expect((await search('')).total).toBe(0);
      });
    });
  });
}
