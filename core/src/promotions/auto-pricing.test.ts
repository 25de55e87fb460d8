import { describe, expect, it } from 'vitest';
import { applyAutoPromotions, type PromotableLine } from './auto-pricing';
import type { AutoPromotion } from './auto-types';

const AT = new Date('2026-06-18T12:00:00Z');
const HOUR = 3_600_000;

let seq = 0;
function promo(p: Partial<AutoPromotion> & Pick<AutoPromotion, 'kind'>): AutoPromotion {
  seq++;
  return {
    id: `prm_${String(seq).padStart(3, '0')}`,
    title: `${p.kind} ${seq}`,
    funding: 'seller',
    sellerId: 'sA',
    shopId: 'shopA',
    categoryId: null,
    sku: null,
    productId: null,
    salePrice: null,
    percent: null,
    maxDiscount: null,
    buyQty: null,
    freeQty: null,
    skus: [],
    bundlePrice: null,
    bundleItems: [],
    tiers: [],
    startsAt: new Date(AT.getTime() - HOUR),
    endsAt: new Date(AT.getTime() + HOUR),
    active: true,
    createdAt: new Date(AT.getTime() - 2 * HOUR),
    ...p,
  };
}
const line = (key: string, p: Partial<PromotableLine> = {}): PromotableLine => ({
  key,
  sku: key,
  sellerId: 'sA',
  shopId: 'shopA',
  categoryIds: ['shoes', 'fashion'],
  unitPrice: 10_000,
  qty: 1,
  flash: false,
  ...p,
});
const B = { sellerId: 'sB', shopId: 'shopB' };
const TIERS_300_500 = [
  { threshold: 30_000, off: 3_000 },
  { threshold: 50_000, off: 6_000 },
];
const platform = { funding: 'platform' as const, sellerId: null, shopId: null };

interface Case {
  name: string;
  lines: PromotableLine[];
  promotions: AutoPromotion[];
  /** Fen each line takes off, by line key (hand-computed). */
  discounts: Record<string, number>;
  salePrices?: Record<string, number | null>;
  /** Per seller: amount of each applied promotion, by title, in order of application. */
  bySeller?: Record<string, [string, number][]>;
  nudges?: [string | null, number, number][];
}

const cases: Case[] = [
  { name: 'no promotion', lines: [line('a')], promotions: [], discounts: { a: 0 }, nudges: [] },
  {
    name: 'a sale price replaces the unit price for every unit',
    lines: [line('a', { qty: 2 })],
    promotions: [promo({ kind: 'sale_price', sku: 'a', salePrice: 8_000, title: 'Sale' })],
    discounts: { a: 4_000 },
    salePrices: { a: 8_000 },
    bySeller: { sA: [['Sale', 4_000]] },
  },
  {
    name: 'the lowest of two sale prices; one above the list price is ignored',
    lines: [line('a'), line('b')],
    promotions: [
      promo({ kind: 'sale_price', sku: 'a', salePrice: 9_000 }),
      promo({ kind: 'sale_price', sku: 'a', salePrice: 7_500 }),
      promo({ kind: 'sale_price', sku: 'b', salePrice: 12_000 }),
    ],
    discounts: { a: 2_500, b: 0 },
    salePrices: { a: 7_500, b: null },
  },
  {
    name: 'a percentage is floored over its lines and split by the largest remainder',
    lines: [line('a', { unitPrice: 3_333 }), line('b', { unitPrice: 6_667 })],
    promotions: [promo({ kind: 'percent_off', percent: 15 })],
    // 15 % of 10,000 = 1,500: 499.95 → 500 and 1,000.05 → 1,000.
    discounts: { a: 500, b: 1_000 },
  },
  {
    name: 'rounding: 10 % of three ¥3.33 lines is 99 fen, 33 each',
    lines: [line('a', { unitPrice: 333 }), line('b', { unitPrice: 333 }), line('c', { unitPrice: 333 })],
    promotions: [promo({ kind: 'percent_off', percent: 10 })],
    discounts: { a: 33, b: 33, c: 33 },
  },
  {
    name: 'a cap limits a percentage over the checkout',
    lines: [line('a', { qty: 2, unitPrice: 5_000 })],
    promotions: [promo({ kind: 'percent_off', percent: 20, maxDiscount: 1_500 })],
    discounts: { a: 1_500 },
  },
  {
    name: 'percentages do not add up: the highest covering the line wins',
    lines: [line('a'), line('b', { categoryIds: ['toys'] })],
    promotions: [
      promo({ kind: 'percent_off', percent: 10, title: 'Shop 10%' }),
      promo({ kind: 'percent_off', percent: 20, categoryId: 'fashion', title: 'Fashion 20%' }),
    ],
    discounts: { a: 2_000, b: 1_000 },
    bySeller: {
      sA: [
        ['Shop 10%', 1_000],
        ['Fashion 20%', 2_000],
      ],
    },
  },
  {
    name: 'tier edge: one fen short of ¥300 saves nothing, and is told to spend ¥0.01 more',
    lines: [line('a', { unitPrice: 29_999 })],
    promotions: [promo({ kind: 'spend_and_save', tiers: TIERS_300_500, title: '满300减30' })],
    discounts: { a: 0 },
    nudges: [['shopA', 1, 3_000]],
  },
  {
    name: 'tier edge: exactly ¥300 saves ¥30, and the next tier is ¥200 away',
    lines: [line('a', { unitPrice: 30_000 })],
    promotions: [promo({ kind: 'spend_and_save', tiers: TIERS_300_500, title: '满300减30' })],
    discounts: { a: 3_000 },
    nudges: [['shopA', 20_000, 6_000]],
  },
  {
    name: 'tier edge: ¥500 reaches the best tier only, and nothing is left to nudge',
    lines: [line('a', { unitPrice: 20_000 }), line('b', { unitPrice: 30_000 })],
    promotions: [promo({ kind: 'spend_and_save', tiers: TIERS_300_500 })],
    discounts: { a: 2_400, b: 3_600 },
    nudges: [],
  },
  {
    name: 'stacking: sale price, then percentage on it, then the tier on what remains',
    lines: [line('a', { qty: 2, unitPrice: 20_000 })],
    promotions: [
      promo({ kind: 'spend_and_save', tiers: TIERS_300_500, title: 'Tiers' }),
      promo({ kind: 'percent_off', percent: 10, title: '10%' }),
      promo({ kind: 'sale_price', sku: 'a', salePrice: 18_000, title: 'Sale' }),
    ],
    // 40,000 → 36,000 (sale) → 32,400 (10 %) → 29,400 (满300减30).
    discounts: { a: 10_600 },
    salePrices: { a: 18_000 },
    bySeller: {
      sA: [
        ['Sale', 4_000],
        ['10%', 3_600],
        ['Tiers', 3_000],
      ],
    },
  },
  {
    name: 'the tier is judged after the percentage: ¥330 at 10 % off is ¥297, below ¥300',
    lines: [line('a', { unitPrice: 33_000 })],
    promotions: [
      promo({ kind: 'percent_off', percent: 10 }),
      promo({ kind: 'spend_and_save', tiers: TIERS_300_500 }),
    ],
    discounts: { a: 3_300 },
    nudges: [['shopA', 300, 3_000]],
  },
  {
    name: 'a platform tier across two sellers, split by what each line costs',
    lines: [line('a', { unitPrice: 20_000 }), line('b', { ...B, unitPrice: 15_000 })],
    promotions: [
      promo({ ...platform, kind: 'spend_and_save', tiers: TIERS_300_500, title: 'Platform 满减' }),
    ],
    // 3,000 × 20/35 = 1,714.29 and × 15/35 = 1,285.71: the spare fen to the larger remainder.
    discounts: { a: 1_714, b: 1_286 },
    bySeller: { sA: [['Platform 满减', 1_714]], sB: [['Platform 满减', 1_286]] },
    nudges: [[null, 15_000, 6_000]],
  },
  {
    name: "a shop's tier first, then the platform's on what remains of the whole cart",
    lines: [line('a', { unitPrice: 20_000 }), line('b', { ...B, unitPrice: 15_000 })],
    promotions: [
      promo({ kind: 'spend_and_save', tiers: [{ threshold: 20_000, off: 2_000 }], title: 'Shop A' }),
      promo({ ...platform, kind: 'spend_and_save', tiers: TIERS_300_500, title: 'Platform' }),
    ],
    // A: 20,000 − 2,000 = 18,000; platform on 33,000: 1,636.36 and 1,363.64 → 1,636 and 1,364.
    discounts: { a: 3_636, b: 1_364 },
    bySeller: {
      sA: [
        ['Shop A', 2_000],
        ['Platform', 1_636],
      ],
      sB: [['Platform', 1_364]],
    },
  },
  {
    name: "a shop's promotion does not touch another shop's items",
    lines: [line('a'), line('b', B)],
    promotions: [promo({ kind: 'percent_off', percent: 50 })],
    discounts: { a: 5_000, b: 0 },
  },
  {
    name: 'a platform percentage capped over two sellers',
    lines: [line('a', { unitPrice: 8_000 }), line('b', { ...B, unitPrice: 7_000 })],
    promotions: [promo({ ...platform, kind: 'percent_off', percent: 10, maxDiscount: 1_000 })],
    // 1,500 capped to 1,000: 533.33 and 466.67 → 533 and 467.
    discounts: { a: 533, b: 467 },
  },
  {
    name: 'a flash-sale claim line takes no promotion and does not count toward a tier',
    lines: [line('f', { unitPrice: 25_000, flash: true }), line('a', { unitPrice: 10_000 })],
    promotions: [
      promo({ ...platform, kind: 'spend_and_save', tiers: TIERS_300_500 }),
      promo({ kind: 'percent_off', percent: 10 }),
      promo({ kind: 'sale_price', sku: 'f', salePrice: 1_000 }),
    ],
    discounts: { f: 0, a: 1_000 },
    salePrices: { f: null },
    nudges: [[null, 21_000, 3_000]],
  },
  {
    name: 'inactive, ended, not yet started: none applies; one starting exactly now does',
    lines: [line('a')],
    promotions: [
      promo({ kind: 'percent_off', percent: 40, active: false }),
      promo({ kind: 'percent_off', percent: 30, endsAt: AT }),
      promo({ kind: 'percent_off', percent: 20, startsAt: new Date(AT.getTime() + 1) }),
      promo({ kind: 'percent_off', percent: 5, startsAt: AT }),
    ],
    discounts: { a: 500 },
  },
  {
    name: 'never below zero: a ¥1 sale price and a tier saving 99 fen of 100',
    lines: [line('a')],
    promotions: [
      promo({ kind: 'sale_price', sku: 'a', salePrice: 100 }),
      promo({ kind: 'spend_and_save', tiers: [{ threshold: 100, off: 99 }] }),
    ],
    discounts: { a: 9_999 },
  },
  {
    name: 'buy 2 get 1: the cheapest unit of the three is free, across lines',
    lines: [line('a', { qty: 2 }), line('b', { unitPrice: 4_000 })],
    promotions: [promo({ kind: 'buy_n_get_m', buyQty: 2, freeQty: 1, title: '买2送1' })],
    discounts: { a: 0, b: 4_000 },
    bySeller: { sA: [['买2送1', 4_000]] },
  },
  {
    name: 'buy 2 get 1: seven units free two (a third group is not complete)',
    lines: [line('a', { qty: 7, unitPrice: 1_000 })],
    promotions: [promo({ kind: 'buy_n_get_m', buyQty: 2, freeQty: 1 })],
    discounts: { a: 2_000 },
  },
  {
    name: 'stacking: sale price, then buy 2 get 1 at the sale price, then the percentage on what remains',
    lines: [line('a', { qty: 3 })],
    promotions: [
      promo({ kind: 'percent_off', percent: 10, title: '10%' }),
      promo({ kind: 'buy_n_get_m', buyQty: 2, freeQty: 1, title: 'B2G1' }),
      promo({ kind: 'sale_price', sku: 'a', salePrice: 9_000, title: 'Sale' }),
    ],
    // 30,000 → 27,000 (sale) → 18,000 (one unit of 9,000 free) → 16,200 (10 %).
    discounts: { a: 13_800 },
    bySeller: {
      sA: [
        ['Sale', 3_000],
        ['B2G1', 9_000],
        ['10%', 1_800],
      ],
    },
  },
  {
    name: 'bundle: one set costs the bundle price, the saving split by list price',
    lines: [line('a'), line('b', { unitPrice: 6_000 })],
    promotions: [promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 13_000, title: '组合' })],
    // 16,000 → 13,000: 3,000 split 10,000 : 6,000.
    discounts: { a: 1_875, b: 1_125 },
    bySeller: { sA: [['组合', 3_000]] },
  },
  {
    name: 'bundle: two complete sets (the third b is not in one)',
    lines: [line('a', { qty: 2 }), line('b', { unitPrice: 6_000, qty: 3 })],
    promotions: [promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 13_000 })],
    // Sets = min(2, 3) = 2: 32,000 → 26,000; 6,000 split 20,000 : 12,000.
    discounts: { a: 3_750, b: 2_250 },
  },
  {
    name: 'bundle: an incomplete set saves nothing',
    lines: [line('a', { qty: 2 }), line('b', { unitPrice: 6_000 })],
    promotions: [promo({ kind: 'bundle', skus: ['a', 'b', 'c'], bundlePrice: 20_000 })],
    discounts: { a: 0, b: 0 },
  },
  {
    name: 'bundle: rounding, every fen of the saving on a line (largest remainder)',
    lines: [line('a', { unitPrice: 999 }), line('b', { unitPrice: 1_001 }), line('c', { unitPrice: 333 })],
    promotions: [promo({ kind: 'bundle', skus: ['a', 'b', 'c'], bundlePrice: 2_000, title: 'Set' })],
    // 333 × 999/2333 = 142.59, × 1001/2333 = 142.87, × 333/2333 = 47.53: 331, the 2 left to b then a.
    discounts: { a: 143, b: 143, c: 47 },
    bySeller: { sA: [['Set', 333]] },
  },
  {
    name: 'bundle after a sale price: the set saves what remains below its sale-priced units',
    lines: [line('a'), line('b', { unitPrice: 6_000 })],
    promotions: [
      promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 13_000, title: 'Set' }),
      promo({ kind: 'sale_price', sku: 'a', salePrice: 8_000, title: 'Sale' }),
    ],
    // a 10,000 → 8,000; the set 14,000 → 13,000: 1,000 split 8,000 : 6,000 (571.43, 428.57).
    discounts: { a: 2_571, b: 429 },
    bySeller: {
      sA: [
        ['Sale', 2_000],
        ['Set', 1_000],
      ],
    },
  },
  {
    name: 'bundle after buy 2 get 1: a free unit is in no set',
    lines: [line('a', { qty: 3 }), line('b', { unitPrice: 6_000, qty: 2 })],
    promotions: [
      promo({ kind: 'buy_n_get_m', buyQty: 2, freeQty: 1, title: 'B2G1' }),
      promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 13_000, title: 'Set' }),
    ],
    // 5 units: one group of 3, the cheapest (a b, 6,000) free; b has 1 paid unit left, so 1 set:
    // 16,000 → 13,000, 3,000 split 10,000 : 6,000.
    discounts: { a: 1_875, b: 6_000 + 1_125 },
    bySeller: {
      sA: [
        ['B2G1', 6_000],
        ['Set', 3_000],
      ],
    },
  },
  {
    name: 'stacking: bundle, then the percentage only on units outside the set, then the shop tier',
    lines: [line('a', { qty: 2 }), line('b', { unitPrice: 6_000 })],
    promotions: [
      promo({
        kind: 'spend_and_save',
        tiers: [
          { threshold: 20_000, off: 1_000 },
          { threshold: 30_000, off: 3_000 },
        ],
        title: 'Tiers',
      }),
      promo({ kind: 'percent_off', percent: 10, title: '10%' }),
      promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 13_000, title: 'Set' }),
    ],
    // Set: one a + b, 16,000 → 13,000 (a 1,875, b 1,125). 10 % on the second a only: 1,000.
    // Tier on 17,125 + 4,875 = 22,000 reaches 满200减10: 1,000 split 17,125 : 4,875 (778.41, 221.59).
    discounts: { a: 1_875 + 1_000 + 778, b: 1_125 + 222 },
    bySeller: {
      sA: [
        ['Set', 3_000],
        ['10%', 1_000],
        ['Tiers', 1_000],
      ],
    },
    nudges: [['shopA', 8_000, 3_000]],
  },
  {
    name: 'bundles sharing a SKU: the bigger saving per set takes the unit',
    lines: [line('a'), line('b', { unitPrice: 6_000 }), line('c', { unitPrice: 6_000 })],
    promotions: [
      promo({ kind: 'bundle', skus: ['a', 'b'], bundlePrice: 15_000, title: 'AB' }),
      promo({ kind: 'bundle', skus: ['a', 'c'], bundlePrice: 12_000, title: 'AC' }),
    ],
    // AB saves 1,000 a set, AC 4,000: a goes to AC (4,000 split 10,000 : 6,000); AB has no a left.
    discounts: { a: 2_500, b: 0, c: 1_500 },
    bySeller: { sA: [['AC', 4_000]] },
  },
];

describe('automatic promotions: stacking and rounding', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = applyAutoPromotions(c.lines, c.promotions, AT);
    const discounts = Object.fromEntries(c.lines.map((l) => [l.key, out.lines.get(l.key)!.discount]));
    expect(discounts).toEqual(c.discounts);
    for (const [key, price] of Object.entries(c.salePrices ?? {}))
      expect(out.lines.get(key)!.salePrice).toBe(price);
    if (c.bySeller)
      expect(
        Object.fromEntries(
          [...out.bySeller].map(([seller, applied]) => [seller, applied.map((a) => [a.title, a.amount])]),
        ),
      ).toEqual(c.bySeller);
    if (c.nudges) expect(out.nudges.map((n) => [n.shopId, n.spendMore, n.save])).toEqual(c.nudges);
    // Every fen is accounted for: the lines' takes sum to their discount and to the sellers' promotions.
    for (const l of c.lines) {
      const promoted = out.lines.get(l.key)!;
      expect(Object.values(promoted.takes).reduce((a, b) => a + b, 0)).toBe(promoted.discount);
      expect(promoted.discount).toBeLessThanOrEqual(l.unitPrice * l.qty);
    }
    const applied = [...out.bySeller.values()].flat().reduce((n, a) => n + a.amount, 0);
    expect(applied).toBe(Object.values(c.discounts).reduce((a, b) => a + b, 0));
  });
});
