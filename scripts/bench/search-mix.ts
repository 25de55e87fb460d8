import type { DemoCatalog } from '@market/demo';
import type { SearchQuery } from '@market/search';

/** A realistic mix, drawn from the catalog itself so every query has answers. */
export function queryMix(
  catalog: DemoCatalog,
  n = 400,
): { kind: string; q: string; filters?: SearchQuery['filters'] }[] {
  const pick = (i: number) => catalog.products[(i * 7919) % catalog.products.length]!;
  const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w);
  const mix: { kind: string; q: string; filters?: SearchQuery['filters'] }[] = [];
  for (let i = 0; mix.length < n; i++) {
    const p = pick(i);
    const words = p.name.split(/\s+/).filter((w) => /^[A-Za-z]{3,}$/.test(w));
    const w = words[1] ?? words[0] ?? p.brand;
    switch (i % 6) {
      case 0:
        mix.push({ kind: 'one word', q: w.toLowerCase() });
        break;
      case 1:
        mix.push({ kind: 'several words', q: `${p.brand} ${words.slice(-2).join(' ')}`.toLowerCase() });
        break;
      case 2:
        mix.push({ kind: 'chinese', q: [...p.nameZh.replace(/\s+/g, '')].slice(-4).join('') });
        break;
      case 3:
        mix.push({ kind: 'typo', q: typo(w.toLowerCase()) });
        break;
      case 4:
        mix.push({ kind: 'prefix', q: w.toLowerCase().slice(0, 4) });
        break;
      default:
        mix.push({
          kind: 'heavy facets',
          q: w.toLowerCase(),
          filters: {
            inStock: true,
            priceBuckets: ['100-500', '500-1000', '1000-5000'],
            categoryIds: [catalog.categories[0]!.id],
          },
        });
    }
  }
  return mix;
}

export type Mix = ReturnType<typeof queryMix>;

/** A mix entry as the engines take it: first page of 24, by relevance. */
export const asQuery = (m: Mix[number]): SearchQuery => ({
  q: m.q,
  filters: m.filters ?? {},
  sort: 'relevance',
  page: 1,
  pageSize: 24,
});
