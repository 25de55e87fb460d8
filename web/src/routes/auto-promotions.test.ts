import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { adminOf, registerUser, type SignedIn } from '../../../tests/support/accounts';
import { createTestClock } from '../../../tests/support/clock';
import { waitFor } from '../../../tests/support/process';
import { checkout, leafCategory, pay, stockedProduct, ADDRESS } from '../../../tests/support/commerce';

const clock = createTestClock();
let app: TestApp;
let category: string;
let sellerA: SignedIn;
let sellerB: SignedIn;
let admin: SignedIn;

const inDays = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString();
const TIERS = [
  { threshold: 30_000, off: 3_000 },
  { threshold: 50_000, off: 6_000 },
];
const quote = (client: SignedIn, body: Record<string, unknown> = {}) =>
  client.post('/api/checkout/quote', { delivery: { method: 'courier', address: ADDRESS }, ...body });
const shopOf = async (productId: string) => (await app.core.catalog.getProduct(productId))!.shopId;

beforeAll(async () => {
  app = await startTestApp({ products: 0, clock: clock.now });
  sellerA = await registerUser(app, 'seller');
  sellerB = await registerUser(app, 'seller');
  admin = await adminOf(app);
  category = await leafCategory(sellerA);
});
afterAll(() => app?.close());

describe('promotions API', () => {
  it('names the bad fields (422), refuses others’ promotions (403) and unknown ids (404)', async () => {
    const item = await stockedProduct(sellerA, { stock: 1, price: 10_000, categoryId: category });
    const bad = await sellerA.post('/api/promotions', {
      kind: 'spend_and_save',
      title: 'Tiers',
      tiers: [
        { threshold: 30_000, off: 3_000 },
        { threshold: 20_000, off: 30_000 },
      ],
      percent: 10,
      endsAt: inDays(1),
    });
    expect(bad.status).toBe(422);
    expect(bad.error.fields.map((f) => f.field).sort()).toEqual([
      'body.percent',
      'body.tiers.1',
      'body.tiers.1.off',
    ]);
    const noEnd = await sellerA.post('/api/promotions', { kind: 'percent_off', title: 'x', percent: 10 });
    expect(noEnd.status).toBe(422);
    expect(noEnd.error.fields[0].field).toBe('body.endsAt');
    // A seller's sale price must be on their own SKU, and below its list price.
    const foreign = await sellerB.post('/api/promotions', {
      kind: 'sale_price',
      title: 'Sale',
      sku: item.sku,
      salePrice: 5_000,
      endsAt: inDays(1),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.error.fields[0].field).toBe('body.sku');
    const above = await sellerA.post('/api/promotions', {
      kind: 'sale_price',
      title: 'Sale',
      sku: item.sku,
      salePrice: 10_000,
      endsAt: inDays(1),
    });
    expect(above.status).toBe(422);
    expect(above.error.fields[0].field).toBe('body.salePrice');

    const mine = await sellerA.post('/api/promotions', {
      kind: 'percent_off',
      title: '5% off',
      percent: 5,
      endsAt: inDays(1),
    });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({
      funding: 'seller',
      sellerId: sellerA.user.id,
      shopId: await shopOf(item.productId),
    });
    expect((await sellerB.post(`/api/promotions/${mine.body.id}/end`)).status).toBe(403);
    expect((await sellerA.post('/api/promotions/prm_0123456789abcdef01/end')).status).toBe(404);
    expect((await sellerB.get('/api/promotions')).body.items).toEqual([]);
    const ended = await sellerA.post(`/api/promotions/${mine.body.id}/end`);
    expect(ended.body.active).toBe(false);
    const listed = (await sellerA.get('/api/promotions')).body.items;
    expect(listed.find((p) => p.id === mine.body.id)).toMatchObject({ live: false });
    // An admin's is platform-funded and sees every promotion.
    const platform = await admin.post('/api/promotions', {
      kind: 'percent_off',
      title: 'Platform 1%',
      percent: 1,
      shopId: 'no-such-shop',
      endsAt: inDays(1),
    });
    expect(platform.body).toMatchObject({ funding: 'platform', sellerId: null });
    const all = (await admin.get('/api/promotions')).body.items.map((p) => p.id);
    expect(all).toEqual(expect.arrayContaining([mine.body.id, platform.body.id]));
  });
});

describe('promotions through the cart, checkout and settlement', () => {
  it('quotes, charges and settles a seller sale price, a platform percentage and a seller tier', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, price: 20_000, categoryId: category });
    const shopId = await shopOf(item.productId);
    const create = (client: SignedIn, body: Record<string, unknown>) =>
      client.post('/api/promotions', { endsAt: inDays(2), ...body });
    expect(
      (await create(sellerA, { kind: 'sale_price', title: 'Spring sale', sku: item.sku, salePrice: 18_000 }))
        .status,
    ).toBe(201);
    expect(
      (await create(admin, { kind: 'percent_off', title: 'Platform 10%', percent: 10, shopId })).status,
    ).toBe(201);
    expect((await create(sellerA, { kind: 'spend_and_save', title: '满300减30', tiers: TIERS })).status).toBe(
      201,
    );

    // The product page shows the sale price (sale price, then the percentage) and the tier badge.
    const page = (await sellerA.get(`/api/products/${item.productId}`)).body;
    expect(page.promotion).toEqual({
      salePrices: { [item.sku]: 16_200 },
      badges: ['10% off', '满¥300减¥30 · 满¥500减¥60'],
      bundles: [],
    });

    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 2 });
    // 40,000 → 36,000 (sale) → 32,400 (10 %) → 29,400 (满300减30); the next tier is ¥176 away.
    const q = (await quote(shopper)).body;
    expect(q.sellers[0]!.promotions.map((p) => [p.title, p.amount, p.funding])).toEqual([
      ['Spring sale', 4_000, 'seller'],
      ['Platform 10%', 3_600, 'platform'],
      ['满300减30', 3_000, 'seller'],
    ]);
    expect(q).toMatchObject({ items: 40_000, promotionDiscount: 10_600, shipping: 0, total: 29_400 });
    expect(q.nudges).toEqual([expect.objectContaining({ shopId, spendMore: 17_600, save: 6_000 })]);
    expect(q.sellers[0]!.lines[0]).toMatchObject({
      unitPrice: 20_000,
      salePrice: 18_000,
      promotionDiscount: 10_600,
    });

    const placed = await checkout(shopper);
    expect(placed.status).toBe(201);
    expect(placed.body.total).toBe(29_400);
    await pay(shopper, placed.body);
    const orderId = placed.body.orders[0]!.id;
    for (const step of ['accept', 'ship', 'deliver'])
      expect(
        (
          await sellerA.post(
            `/api/orders/${orderId}/${step}`,
            step === 'ship' ? { carrier: 'SF', trackingNumber: 'SF1234567' } : undefined,
          )
        ).status,
      ).toBe(200);
    expect((await shopper.post(`/api/orders/${orderId}/complete`)).status).toBe(200);

    const order = (await sellerA.get(`/api/orders/${orderId}`)).body;
    expect(order.totals).toEqual({ items: 40_000, shipping: 0, discount: 10_600, points: 0, total: 29_400 });
    expect(order.promotions.map((p) => [p.amount, p.funding])).toEqual([
      [4_000, 'seller'],
      [3_600, 'platform'],
      [3_000, 'seller'],
    ]);
    // The seller funds their sale price and tier; the platform its percentage. Commission is charged
    // on goods after the seller-funded part (40,000 − 7,000).
    const earnings = order.earnings!;
    expect(earnings).toMatchObject({ sellerDiscount: 7_000, platformDiscount: 3_600, platformFunded: 3_600 });
    expect(earnings.sellerEarning).toBe(40_000 - 7_000 - earnings.commission);
    expect(earnings.paid + earnings.platformFunded).toBe(earnings.sellerEarning + earnings.commission);
    const credit = await waitFor(async () => {
      const entries = (await sellerA.get('/api/seller/finance/entries')).body.items;
      return entries.find((e) => e.kind === 'order_credit' && e.orderId === orderId);
    });
    expect(credit.amount).toBe(earnings.sellerEarning);
  });

  it("judges a coupon's minimum spend after promotions, and keeps an admin's tier for one shop on that shop's items", async () => {
    const a = await stockedProduct(sellerA, { stock: 5, price: 32_000, categoryId: category });
    const b = await stockedProduct(sellerB, { stock: 5, price: 20_000, categoryId: category });
    const [shopA, shopB] = [await shopOf(a.productId), await shopOf(b.productId)];
    const code = `MIN${Date.now().toString(36).toUpperCase()}`;
    await sellerB.post('/api/coupons', { code, kind: 'fixed', value: 1_000, minSpend: 20_000 });
    await sellerB.post('/api/promotions', {
      kind: 'percent_off',
      title: 'B 10%',
      percent: 10,
      endsAt: inDays(1),
    });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: b.sku, qty: 1 });
    // B's ¥200 is ¥180 after its 10 %: the coupon's ¥200 minimum is not reached.
    const refused = await quote(shopper, { couponCode: code });
    expect(refused.status).toBe(422);
    expect(refused.error.fields[0]).toEqual({
      field: 'body.couponCode',
      message: expect.stringContaining('Spend ¥20.00 more'),
    });

    // A platform tier on one admin-chosen shop does not reach the other's items.
    await admin.post('/api/promotions', {
      kind: 'spend_and_save',
      title: 'Shop A platform tier',
      tiers: [{ threshold: 10_000, off: 1_000 }],
      shopId: shopA,
      endsAt: inDays(1),
    });
    await shopper.post('/api/cart/lines', { sku: a.sku, qty: 1 });
    const q = (await quote(shopper)).body;
    const bySeller = Object.fromEntries(q.sellers.map((s) => [s.shopId, s]));
    // A's ¥320: the platform's 10 % on shop A (the test above) → ¥288, below seller A's 满300, so the
    // best shop tier is the platform's 满100减10 → ¥278; A is nudged to seller A's 满300 (¥12 more to
    // save ¥30). B's ¥200: its own 10 % → ¥180; the admin's tier is for shop A only.
    expect(bySeller[shopA]!.promotions.map((p) => [p.title, p.amount, p.funding])).toEqual([
      ['Platform 10%', 3_200, 'platform'],
      ['Shop A platform tier', 1_000, 'platform'],
    ]);
    expect(bySeller[shopB]!.promotionDiscount).toBe(2_000);
    expect(q.nudges).toEqual([expect.objectContaining({ shopId: shopA, spendMore: 1_200, save: 3_000 })]);
    expect(q.total).toBe(27_800 + 18_000);
  });

  it('charges what is live at checkout: a promotion that expired after the quote is not applied', async () => {
    const item = await stockedProduct(sellerB, { stock: 5, price: 5_000, categoryId: category });
    const endsAt = new Date(clock.now().getTime() + 60_000).toISOString();
    await sellerB.post('/api/promotions', {
      kind: 'sale_price',
      title: 'One minute',
      sku: item.sku,
      salePrice: 4_000,
      endsAt,
    });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 2 });
    const before = (await quote(shopper)).body;
    // Sale 8,000, then B's 10 % from the test above: 7,200, plus ¥8 shipping under the ¥99 threshold.
    expect(before.total).toBe(7_200 + 800);
    clock.advance(61_000);
    const placed = await checkout(shopper);
    expect(placed.status).toBe(201);
    expect(placed.body.total).toBe(9_000 + 800);
    const order = (await shopper.get(`/api/orders/${placed.body.orders[0]!.id}`)).body;
    expect(order.promotions.map((p) => p.title)).toEqual(['B 10%']);
    expect(order.lines[0]!.salePrice).toBeUndefined();
  });

  it('asks before charging a changed total: a promotion that ended after the quote answers 409 price_changed with the new quote, and the new figures check out', async () => {
    const seller = await registerUser(app, 'seller');
    const item = await stockedProduct(seller, { stock: 5, price: 5_000, categoryId: category });
    const sale = await seller.post('/api/promotions', {
      kind: 'sale_price',
      title: 'Short sale',
      sku: item.sku,
      salePrice: 4_000,
      endsAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    expect(sale.status).toBe(201);
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 2 });
    const seenOf = (q: {
      total: number;
      promotionDiscount: number;
      sellers: { promotions: { promotionId: string }[] }[];
    }) => ({
      total: q.total,
      promotionDiscount: q.promotionDiscount,
      promotionIds: q.sellers.flatMap((s) => s.promotions.map((p) => p.promotionId)),
    });
    const before = (await quote(shopper)).body;
    expect(before.promotionDiscount).toBe(2_000);
    expect(seenOf(before).promotionIds).toEqual([sale.body.id]);

    // The quote's figures still hold: the checkout goes through … (then is cancelled, stock back).
    const same = await checkout(shopper, { seenQuote: seenOf(before) });
    expect(same.status, JSON.stringify(same.body)).toBe(201);
    expect(same.body.total).toBe(before.total);
    await app.core.checkout.expire(same.body.checkoutId);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 2 });

    // … the sale ends before the shopper presses again: nothing is taken, the new quote comes back.
    clock.advance(61_000);
    const refused = await checkout(shopper, { seenQuote: seenOf(before) });
    expect(refused.status).toBe(409);
    expect(refused.error.code).toBe('price_changed');
    // ¥80 + ¥8 shipping was quoted; ¥100 now, which also ships free (the ¥99 threshold).
    expect(before.total).toBe(8_000 + 800);
    expect(refused.error.message).toContain('¥100.00');
    const fresh = refused.error.quote as Parameters<typeof seenOf>[0] & Record<string, unknown>;
    expect(fresh).toMatchObject({ promotionDiscount: 0, shipping: 0, total: 10_000 });
    expect(fresh.sellers[0]!.promotions).toEqual([]);
    expect(fresh).toEqual((await quote(shopper)).body);
    expect((await shopper.get('/api/orders')).body.items).toHaveLength(1);
    // The expired checkout's units come back (its cancelled order's effects may still be running).
    const owner = { sku: item.sku, productId: item.productId, sellerId: seller.user.id };
    await waitFor(async () => (await app.core.inventory.getLevel(owner)).available === 5, 30_000, 'stock');

    // Asked again with what the page now shows: charged that.
    const again = await checkout(shopper, { seenQuote: seenOf(fresh) });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.total).toBe(10_000);
  });

  it('buy 2 get 1: the cheapest unit is free, seller-funded, and named fields when incomplete', async () => {
    const seller = await registerUser(app, 'seller');
    const bowl = await stockedProduct(seller, { stock: 5, price: 6_000, categoryId: category });
    const cup = await stockedProduct(seller, { stock: 5, price: 2_500, categoryId: category });
    const incomplete = await seller.post('/api/promotions', {
      kind: 'buy_n_get_m',
      title: '买2送1',
      buyQty: 2,
      endsAt: inDays(1),
    });
    expect(incomplete.status).toBe(422);
    expect(incomplete.error.fields.map((f) => f.field)).toEqual(['body.freeQty']);
    const created = await seller.post('/api/promotions', {
      kind: 'buy_n_get_m',
      title: '买2送1',
      buyQty: 2,
      freeQty: 1,
      endsAt: inDays(1),
    });
    expect(created.body).toMatchObject({ buyQty: 2, freeQty: 1, funding: 'seller' });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: bowl.sku, qty: 2 });
    await shopper.post('/api/cart/lines', { sku: cup.sku, qty: 1 });
    const q = (await quote(shopper)).body;
    expect(q.sellers[0]!.promotions.map((p) => [p.title, p.amount, p.funding])).toEqual([
      ['买2送1', 2_500, 'seller'],
    ]);
    expect(q.total).toBe(12_000);
  });

  it('bundle: validated per SKU, shown on both products, a set at the bundle price with the percentage and coupon after it, charged at checkout', async () => {
    const seller = await registerUser(app, 'seller');
    const mug = await stockedProduct(seller, { stock: 5, price: 6_000, categoryId: category });
    const tray = await stockedProduct(seller, { stock: 5, price: 4_000, categoryId: category });
    const bundle = (body: Record<string, unknown>) =>
      seller.post('/api/promotions', { kind: 'bundle', title: '组合价', endsAt: inDays(1), ...body });
    const foreign = await bundle({ skus: [mug.sku, 'no-such-sku'], bundlePrice: 5_000 });
    expect(foreign.status).toBe(422);
    expect(foreign.error.fields.map((f) => f.field)).toEqual(['body.skus.1']);
    const dearer = await bundle({ skus: [mug.sku, tray.sku], bundlePrice: 10_000 });
    expect(dearer.error.fields.map((f) => f.field)).toEqual(['body.bundlePrice']);
    const single = await bundle({ skus: [mug.sku], bundlePrice: 5_000 });
    expect(single.error.fields.map((f) => f.field)).toEqual(['body.skus']);
    const created = await bundle({ skus: [mug.sku, tray.sku], bundlePrice: 8_000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ skus: [mug.sku, tray.sku], bundlePrice: 8_000, funding: 'seller' });
    await seller.post('/api/promotions', {
      kind: 'percent_off',
      title: '10%',
      percent: 10,
      endsAt: inDays(1),
    });
    const code = `SET${Date.now().toString(36).toUpperCase()}`;
    expect(
      (await seller.post('/api/coupons', { code, kind: 'fixed', value: 500, minSpend: 10_000 })).status,
    ).toBe(201);

    for (const productId of [mug.productId, tray.productId]) {
      const page = (await seller.get(`/api/products/${productId}`)).body;
      expect(page.promotion!.bundles).toEqual([
        expect.objectContaining({ price: 8_000, listTotal: 10_000, title: '组合价' }),
      ]);
      expect(page.promotion!.bundles[0]!.items.map((i) => i.productId)).toEqual([
        mug.productId,
        tray.productId,
      ]);
    }

    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: mug.sku, qty: 2 });
    await shopper.post('/api/cart/lines', { sku: tray.sku, qty: 1 });
    // 16,000: one set 10,000 → 8,000 (2,000: mug 1,200, tray 800); 10 % on the second mug only (600);
    // 13,400 reaches the coupon's ¥100 minimum: −500.
    const q = (await quote(shopper, { couponCode: code })).body;
    expect(q.sellers[0]!.promotions.map((p) => [p.title, p.amount, p.funding])).toEqual([
      ['组合价', 2_000, 'seller'],
      ['10%', 600, 'seller'],
    ]);
    const lines = Object.fromEntries(q.sellers[0]!.lines.map((l) => [l.sku, l.promotionDiscount]));
    expect(lines).toEqual({ [mug.sku]: 1_800, [tray.sku]: 800 });
    expect(q).toMatchObject({ items: 16_000, promotionDiscount: 2_600 });
    expect(q.total).toBe(16_000 - 2_600 - 500 + q.shipping);

    const placed = await checkout(shopper, { couponCode: code });
    expect(placed.status).toBe(201);
    expect(placed.body.total).toBe(q.total);
    const order = (await shopper.get(`/api/orders/${placed.body.orders[0]!.id}`)).body;
    expect(order.promotions.map((p) => [p.kind, p.amount])).toEqual([
      ['bundle', 2_000],
      ['percent_off', 600],
    ]);
    expect(order.totals).toMatchObject({ items: 16_000, discount: 3_100 });
  });
});
