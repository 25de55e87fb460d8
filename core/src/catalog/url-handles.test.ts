import { describe, expect, it } from 'vitest';
import { URL_HANDLE_PATTERN, urlHandleCandidates, urlSlug } from './url-handles';

const candidates = (product: { id: string; handle: string; name: string }) => [
  ...urlHandleCandidates(product),
];

describe('URL slugs', () => {
  it('folds accents, lower-cases and joins words with single hyphens', () => {
    expect(urlSlug('Nescafé Dark-Roast Ground Coffee')).toBe('nescafe-dark-roast-ground-coffee');
    expect(urlSlug("  Xtep Men's  Running Shoes (2024) ")).toBe('xtep-men-s-running-shoes-2024');
    expect(urlSlug('博世 变频热泵干衣机 12kg')).toBe('12kg');
    expect(urlSlug('雀巢 深度烘焙咖啡粉')).toBe('');
  });

  it('cuts a long name at a word boundary', () => {
    const slug = urlSlug('Samsung S-View Soft-Shell Case for Samsung Galaxy S6 Cell Phones and Friends');
    expect(slug).toBe('samsung-s-view-soft-shell-case-for-samsung-galaxy-s6-cell');
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toMatch(URL_HANDLE_PATTERN);
  });
});

describe('URL handle candidates', () => {
  it("prefer the seller's handle, then the name when the handle is only the id", () => {
    expect(candidates({ id: 'prd_X', handle: 'Red Mug', name: 'Anything' })[0]).toBe('red-mug');
    expect(candidates({ id: 'prd_X', handle: 'prd_X', name: 'Blue Kettle' })[0]).toBe('blue-kettle');
  });

  it('go on with suffixes that are stable for one product and differ between products', () => {
    const a = candidates({ id: 'prd_A', handle: 'prd_A', name: 'Blue Kettle' });
    const b = candidates({ id: 'prd_B', handle: 'prd_B', name: 'Blue Kettle' });
    expect(a).toEqual(candidates({ id: 'prd_A', handle: 'prd_A', name: 'Blue Kettle' }));
    expect(a[1]).toMatch(/^blue-kettle-[a-z2-9]{6}$/);
    expect(a[1]).not.toBe(b[1]);
    expect(new Set(a).size).toBe(a.length);
    for (const c of [...a, ...b]) expect(c).toMatch(URL_HANDLE_PATTERN);
  });

  it('give a Chinese-only name item-<suffix> from the id, never a bare shared word', () => {
    const [first, ...rest] = candidates({ id: 'prd_Z', handle: 'prd_Z', name: '深度烘焙咖啡粉' });
    expect(first).toMatch(/^item-[a-z2-9]{6}$/);
    expect(rest.every((c) => c.startsWith('item-'))).toBe(true);
  });

  it('never look like a product id (ids carry an underscore)', () => {
    for (const c of candidates({ id: 'p_000001', handle: 'p_000001', name: 'p_000001' }))
      expect(c).not.toContain('_');
  });
});
