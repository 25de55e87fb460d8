import { describe, expect, it } from 'vitest';
import { orderMoney, refundParts, refundPartsUpTo } from './money';

const order = (f: {
  items: number;
  shipping: number;
  discount: number;
  funding: 'platform' | 'seller' | null;
  points: number;
  commission: number[];
}) => ({
  totals: {
    items: f.items,
    shipping: f.shipping,
    discount: f.discount,
    points: f.points,
    total: f.items + f.shipping - f.discount - f.points,
  },
  coupon: f.funding ? { couponId: 'c', code: 'C', funding: f.funding } : null,
  commission: f.commission.map((amount) => ({
    sku: 'S',
    productId: 'p',
    base: 0,
    ruleId: 'r',
    scope: 'global' as const,
    kind: 'percent' as const,
    rateBp: 0,
    fixedFen: 0,
    amount,
  })),
});

const cases = [
  order({ items: 10_000, shipping: 800, discount: 0, funding: null, points: 0, commission: [500] }),
  order({
    items: 29_999,
    shipping: 0,
    discount: 3_000,
    funding: 'seller',
    points: 1_234,
    commission: [1_350, 7],
  }),
  order({
    items: 12_345,
    shipping: 800,
    discount: 2_000,
    funding: 'platform',
    points: 999,
    commission: [617],
  }),
  order({ items: 101, shipping: 800, discount: 50, funding: 'platform', points: 777, commission: [1] }),
];

describe('the money of an order', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i: T + F = E + C', (_i, o) => {
    const m = orderMoney(o);
    expect(m.paid + m.platformFunded).toBe(m.sellerEarning + m.commission);
  });

  it.each(cases.map((c, i) => [i, c] as const))(
    'case %i: every refund is R = seller + commission − platform, and a full refund returns exactly E, C, F',
    (_i, o) => {
      const m = orderMoney(o);
      // Refunds of 1, 7, 33 %, the rest, in whole fen.
      const steps = [1, Math.floor(m.paid * 0.07), Math.floor(m.paid * 0.33)];
      steps.push(m.paid - steps.reduce((a, b) => a + b, 0));
      let before = 0;
      const sum = { sellerDebit: 0, commissionReversed: 0, platformFundedReturned: 0 };
      for (const amount of steps) {
        const p = refundParts(m, before, amount);
        expect(p.sellerDebit - 0 + p.commissionReversed - p.platformFundedReturned).toBe(amount);
        expect(p.sellerDebit).toBeGreaterThanOrEqual(0);
        expect(p.commissionReversed).toBeGreaterThanOrEqual(0);
        sum.sellerDebit += p.sellerDebit;
        sum.commissionReversed += p.commissionReversed;
        sum.platformFundedReturned += p.platformFundedReturned;
        before += amount;
      }
      expect(sum).toEqual({
        sellerDebit: m.sellerEarning,
        commissionReversed: m.commission,
        platformFundedReturned: m.platformFunded,
      });
      expect(refundPartsUpTo(m, m.paid)).toEqual(sum);
    },
  );

  it('who funds the discount changes what the seller earns', () => {
    const shopCoupon = orderMoney(
      order({ items: 10_000, shipping: 0, discount: 1_000, funding: 'seller', points: 0, commission: [450] }),
    );
    const platformCoupon = orderMoney(
      order({
        items: 10_000,
        shipping: 0,
        discount: 1_000,
        funding: 'platform',
        points: 0,
        commission: [500],
      }),
    );
    expect(shopCoupon.sellerEarning).toBe(10_000 - 1_000 - 450);
    expect(platformCoupon.sellerEarning).toBe(10_000 - 500);
    expect(platformCoupon.platformFunded).toBe(1_000);
  });

  it('charges seller-funded promotions to the seller and platform-funded ones to the platform', () => {
    // Goods ¥300 at list prices; the shop's sale price took ¥20, the platform's 满减 ¥30, and the
    // shop's coupon ¥10 of what remained: discount = 20 + 30 + 10.
    const o = {
      ...order({
        items: 30_000,
        shipping: 0,
        discount: 6_000,
        funding: 'seller',
        points: 500,
        commission: [1_200],
      }),
      promotions: [
        {
          promotionId: 'p1',
          kind: 'sale_price' as const,
          title: 'Sale',
          funding: 'seller' as const,
          amount: 2_000,
        },
        {
          promotionId: 'p2',
          kind: 'spend_and_save' as const,
          title: '满300减30',
          funding: 'platform' as const,
          amount: 3_000,
        },
      ],
    };
    o.totals.discount = 2_000 + 3_000 + 1_000;
    o.totals.total = 30_000 - 6_000 - 500;
    const m = orderMoney(o);
    expect(m.sellerDiscount).toBe(2_000 + 1_000);
    expect(m.platformDiscount).toBe(3_000);
    expect(m.sellerEarning).toBe(30_000 - 3_000 - 1_200);
    expect(m.platformFunded).toBe(3_000 + 500);
    expect(m.paid + m.platformFunded).toBe(m.sellerEarning + m.commission);
  });

  it('reads an order from before promotions (no `promotions` field) as before', () => {
    const old = order({
      items: 10_000,
      shipping: 800,
      discount: 1_000,
      funding: 'platform',
      points: 0,
      commission: [450],
    });
    expect(orderMoney(old)).toEqual(orderMoney({ ...old, promotions: [] }));
    expect(orderMoney(old).platformDiscount).toBe(1_000);
  });

  it('a platform coupon on top of a seller-funded promotion', () => {
    const o = {
      ...order({
        items: 10_000,
        shipping: 0,
        discount: 1_500,
        funding: 'platform',
        points: 0,
        commission: [400],
      }),
      promotions: [
        {
          promotionId: 'p',
          kind: 'percent_off' as const,
          title: '10% off',
          funding: 'seller' as const,
          amount: 1_000,
        },
      ],
    };
    const m = orderMoney(o);
    expect(m.sellerDiscount).toBe(1_000);
    expect(m.platformDiscount).toBe(500);
    expect(m.paid + m.platformFunded).toBe(m.sellerEarning + m.commission);
  });
});
