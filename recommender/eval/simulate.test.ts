import { describe, expect, it } from 'vitest';
import { simulateShoppers } from './simulate';

const small = { shoppers: 200, items: 400, days: 20, sellers: 20 };

describe('simulateShoppers', () => {
  it('is deterministic for a seed and changes with it', () => {
    const a = simulateShoppers({ ...small, seed: 1 });
    const b = simulateShoppers({ ...small, seed: 1 });
    const c = simulateShoppers({ ...small, seed: 2 });
    expect(b.events).toEqual(a.events);
    expect(b.items).toEqual(a.items);
    expect(c.events).not.toEqual(a.events);
  });

  it('emits a time-ordered funnel on items that exist, within the period', () => {
    const d = simulateShoppers({ ...small, seed: 3 });
    const created = new Map(d.items.map((i) => [i.id, i.createdAt]));
    const counts = { view: 0, click: 0, add_to_cart: 0, purchase: 0 };
    let last = -Infinity;
    for (const e of d.events) {
      expect(e.at).toBeGreaterThanOrEqual(last);
      expect(e.at).toBeGreaterThanOrEqual(created.get(e.itemId)!);
      last = e.at;
      counts[e.type]++;
    }
    expect(counts.view).toBeGreaterThan(counts.click);
    expect(counts.click).toBeGreaterThan(counts.add_to_cart);
    expect(counts.add_to_cart).toBeGreaterThan(counts.purchase);
    expect(counts.purchase).toBeGreaterThan(0);
  });

  it('gives shoppers concentrated tastes: most of a buyer’s purchases fall in few categories', () => {
    const d = simulateShoppers({ ...small, seed: 4 });
    const category = new Map(d.items.map((i) => [i.id, i.categoryId]));
    const perBuyer = new Map<string, string[]>();
    for (const e of d.events) {
      if (e.type !== 'purchase') continue;
      perBuyer.set(e.actorId, [...(perBuyer.get(e.actorId) ?? []), category.get(e.itemId)!]);
    }
    let inTop3 = 0;
    let total = 0;
    for (const cats of perBuyer.values()) {
      const counts = new Map<string, number>();
      for (const c of cats) counts.set(c, (counts.get(c) ?? 0) + 1);
      inTop3 += [...counts.values()]
        .sort((x, y) => y - x)
        .slice(0, 3)
        .reduce((s, n) => s + n, 0);
      total += cats.length;
    }
    expect(inTop3 / total).toBeGreaterThan(0.8);
  });
});
