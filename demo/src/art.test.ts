import { describe, expect, it } from 'vitest';
import { colourOf, productArtSvg, silhouetteFor, svgDataUrl } from './art';
import { generateDemoCatalog } from './generator';

const catalog = generateDemoCatalog({ products: 3000 });
const bySlug = new Map(catalog.categories.map((c) => [c.id, c]));
const slugsOf = (categoryId: string) => {
  const path: string[] = [];
  for (let c = bySlug.get(categoryId); c; c = c.parentId ? bySlug.get(c.parentId) : undefined)
    path.push(c.slug);
  return path;
};
const leaves = catalog.categories.filter((c) => !catalog.categories.some((x) => x.parentId === c.id));

describe('demo product art', () => {
  it('gives every leaf category a silhouette of its own kind, and most leaves different ones', () => {
    const kinds = leaves.map((leaf) => silhouetteFor(slugsOf(leaf.id)));
    expect(kinds.every((kind) => typeof kind === 'string')).toBe(true);
    // Leaves of different kinds of goods look different: at least 30 distinct shapes across the tree.
    expect(new Set(kinds).size).toBeGreaterThanOrEqual(30);
    expect(silhouetteFor(['phone-cases', 'mobile'])).toBe('case');
    expect(silhouetteFor(['phones', 'mobile'])).toBe('phone');
    expect(silhouetteFor(['dresses', 'womens-clothing', 'fashion'])).toBe('dress');
  });

  it('paints the variant colour and writes the brand and model, small enough for a grid', () => {
    const base = { brand: 'Nike', name: 'Nike Pegasus 40 Running Shoes', categorySlugs: ['running-shoes'] };
    const black = productArtSvg({ ...base, attributes: { color: 'Black 黑色' } });
    const pink = productArtSvg({ ...base, attributes: { color: 'Blush Pink 浅粉色' } });
    expect(colourOf({ color: 'Black 黑色' })).toBe('#1f2937');
    expect(colourOf({ color: 'Rose Gold 玫瑰金' })).toBe('#d8a39d');
    expect(colourOf({ size: 'XL' })).toBeNull();
    expect(black).toContain('fill="#1f2937"');
    expect(pink).not.toBe(black);
    expect(black).toContain('>NIKE</text>');
    expect(black).toContain('>Pegasus 40 Running Shoes</text>');
    const url = svgDataUrl(black);
    expect(url.length).toBeLessThan(2000);
    expect(decodeURIComponent(url.slice('data:image/svg+xml,'.length)).replace(/'/g, '"')).toBe(black);
    // Text is escaped: a brand with markup stays text.
    expect(productArtSvg({ ...base, brand: 'A&B <x>', name: 'A&B <x> Tee' })).toContain('A&amp;B &lt;X&gt;');
  });

  it('tells apart one brand’s products in a grid: no two of its first twelve different products share a picture', () => {
    const byBrand = new Map<string, typeof catalog.products>();
    for (const p of catalog.products) byBrand.set(p.brand, [...(byBrand.get(p.brand) ?? []), p]);
    const [, products] = [...byBrand].sort((a, b) => b[1].length - a[1].length)[0]!;
    // The same product listed by two shops is the same picture: one per name.
    const distinct = [...new Map(products.map((p) => [p.name, p])).values()];
    const grid = distinct.slice(0, 12).map((p) =>
      productArtSvg({
        brand: p.brand,
        name: p.name,
        categorySlugs: slugsOf(p.categoryId),
        attributes: p.variants[0]?.attributes,
      }),
    );
    expect(new Set(grid).size).toBe(grid.length);
  });
});
