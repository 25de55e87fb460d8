import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { adminOf } from '../support/accounts';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory, registerUser, stockedProduct } from '../support/commerce';

/**
 * Automatic promotions in the browser: a seller creates a spend-and-save promotion on their promotions
 * page; the product page shows its badge; the cart shows the nudge ("Spend ¥40.00 more to save ¥30.00")
 * and, once the tier is reached, the promotion's line and the total after it, priced by the server.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 0 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('automatic promotions', () => {
  it('a seller creates 满300减30 / 满500减60 and the cart shows the nudge, then the promotion line', async () => {
    const [seller, shopper, admin] = await Promise.all([
      registerUser(app, 'seller'),
      registerUser(app.url),
      adminOf(app),
    ]);
    const categoryId = await leafCategory(seller);
    const item = await stockedProduct(seller, {
      price: 13_000,
      stock: 10,
      categoryId,
      name: 'Celadon tea bowl',
    });

    const sellerPage = await openPage(browser, `${app.url}/`);
    try {
      const { page } = sellerPage;
      await logIn(page, app.url, seller.email, seller.password, '/seller/promotions', UI_TIMEOUT);
      await page.getByTestId('promotion-new').click({ timeout: UI_TIMEOUT });
      await page.getByTestId('promotion-title').fill('满300减30');
      await page.getByTestId('promotion-tier-spend').nth(0).fill('300');
      await page.getByTestId('promotion-tier-save').nth(0).fill('30');
      await page.getByRole('button', { name: 'Add a tier' }).click();
      await page.getByTestId('promotion-tier-spend').nth(1).fill('500');
      await page.getByTestId('promotion-tier-save').nth(1).fill('60');
      await page.getByTestId('promotion-ends').fill('2099-12-31T23:00');
      await page.getByTestId('promotion-submit').click();
      await page.getByTestId('promotion-created').waitFor({ timeout: UI_TIMEOUT });
      const row = page.getByTestId('promotion-row').first();
      await expect.poll(() => row.getByTestId('promotion-state').textContent()).toBe('Live');
      expect(await row.textContent()).toContain('满¥300.00减¥30.00');
      await screenshot(page, 'promotions-seller');
      expect(sellerPage.errors).toEqual([]);
    } finally {
      await sellerPage.context.close();
    }

    // The admin's page lists the shop's promotion beside the platform's.
    const adminPage = await openPage(browser, `${app.url}/`);
    try {
      const { page } = adminPage;
      await logIn(page, app.url, admin.email, admin.password, '/admin/promotions', UI_TIMEOUT);
      await page.getByTestId('promotion-row').first().waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('promotion-table').textContent()).toContain('满300减30');
      await screenshot(page, 'promotions-admin');
      expect(adminPage.errors).toEqual([]);
    } finally {
      await adminPage.context.close();
    }

    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, `/p/${item.productId}`, UI_TIMEOUT);
      await page.getByTestId('product-promotions').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('product-promotions').textContent()).toContain('满¥300减¥30');
      await screenshot(page, 'promotions-product');

      // ¥260 in the cart: ¥40 short of the first tier.
      await shopper.post('/api/cart/lines', { sku: item.sku, qty: 2 });
      await page.goto(`${app.url}/cart`);
      const nudge = page.getByTestId('cart-nudge').first();
      await nudge.waitFor({ timeout: UI_TIMEOUT });
      expect(await nudge.textContent()).toContain('Spend ¥40.00 more to save ¥30.00');
      expect(await page.getByTestId('cart-promotion').count()).toBe(0);
      await screenshot(page, 'promotions-cart-nudge');

      // ¥390: 满300减30 applies, and the next tier is ¥110 away.
      await shopper.put(`/api/cart/lines/${item.sku}`, { qty: 3 });
      await page.reload();
      const line = page.getByTestId('cart-promotion').first();
      await line.waitFor({ timeout: UI_TIMEOUT });
      expect(await line.textContent()).toContain('满300减30');
      expect(await line.textContent()).toContain('−¥30.00');
      expect(await page.getByTestId('cart-after-promotions').textContent()).toBe('¥360.00');
      expect(await page.getByTestId('cart-nudge').first().textContent()).toContain(
        'Spend ¥110.00 more to save ¥60.00',
      );
      await screenshot(page, 'promotions-cart');

      // A sale price: the product page shows it over the struck list price, and the shop's listing card too.
      const sale = await seller.post('/api/promotions', {
        kind: 'sale_price',
        title: 'Spring sale',
        sku: item.sku,
        salePrice: 11_000,
        endsAt: '2099-12-31T23:00:00Z',
      });
      expect(sale.status).toBe(201);
      // Storefront views read the live promotions at most 5 s late: reload until the page shows it.
      await expect
        .poll(
          async () => {
            await page.goto(`${app.url}/p/${item.productId}`);
            return page.getByTestId('product-sale-price').count();
          },
          { timeout: UI_TIMEOUT, interval: 500 },
        )
        .toBe(1);
      expect(await page.getByTestId('product-sale-price').textContent()).toBe('¥110.00');
      expect(await page.getByTestId('product-price').textContent()).toBe('¥130.00');
      await screenshot(page, 'promotions-product-sale');
      await page.goto(`${app.url}/c/${categoryId}`);
      const card = page.getByTestId('product-card').filter({ hasText: 'Celadon tea bowl' });
      await card.getByTestId('product-card-sale-price').waitFor({ timeout: UI_TIMEOUT });
      expect(await card.getByTestId('product-card-sale-price').textContent()).toBe('¥110.00');
      await screenshot(page, 'promotions-listing');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a seller creates a bundle on their form; both product pages say "Buy together" and the cart prices the set', async () => {
    const [seller, shopper] = await Promise.all([registerUser(app, 'seller'), registerUser(app.url)]);
    const categoryId = await leafCategory(seller);
    const [pot, cups] = await Promise.all([
      stockedProduct(seller, { price: 12_000, stock: 5, categoryId, name: 'Clay teapot' }),
      stockedProduct(seller, { price: 6_000, stock: 5, categoryId, name: 'Tea cups' }),
    ]);

    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, seller.email, seller.password, '/seller/promotions', UI_TIMEOUT);
      await page.getByTestId('promotion-new').click({ timeout: UI_TIMEOUT });
      await page.getByTestId('promotion-kind-bundle').check();
      await page.getByTestId('promotion-title').fill('Tea set');
      // A SKU not of the shop is named by the server next to the list.
      await page.getByTestId('promotion-bundle-skus').fill(`${pot.sku}, NO-SUCH-SKU`);
      await page.getByTestId('promotion-bundle-price').fill('150');
      await page.getByTestId('promotion-ends').fill('2099-12-31T23:00');
      await page.getByTestId('promotion-submit').click();
      await expect
        .poll(() => page.getByTestId('promotion-form').textContent(), { timeout: UI_TIMEOUT })
        .toContain('NO-SUCH-SKU: no such SKU');
      await page.getByTestId('promotion-bundle-skus').fill(`${pot.sku}, ${cups.sku}`);
      await page.getByTestId('promotion-submit').click();
      await page.getByTestId('promotion-created').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('promotion-row').first().textContent()).toContain(
        'Clay teapot + Tea cups',
      );
      await screenshot(page, 'promotions-seller-bundle');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const shopperPage = await openPage(browser, `${app.url}/`);
    try {
      const { page, errors } = shopperPage;
      await logIn(page, app.url, shopper.email, shopper.password, `/p/${cups.productId}`, UI_TIMEOUT);
      await expect
        .poll(
          async () => {
            await page.goto(`${app.url}/p/${cups.productId}`);
            return page.getByTestId('product-bundle').count();
          },
          { timeout: UI_TIMEOUT, interval: 500 },
        )
        .toBe(1);
      expect(await page.getByTestId('product-bundle').textContent()).toContain(
        'Buy together: Clay teapot + Tea cups for ¥150.00',
      );
      await screenshot(page, 'promotions-product-bundle');

      await shopper.post('/api/cart/lines', { sku: pot.sku, qty: 1 });
      await shopper.post('/api/cart/lines', { sku: cups.sku, qty: 1 });
      await page.goto(`${app.url}/cart`);
      const line = page.getByTestId('cart-promotion').first();
      await line.waitFor({ timeout: UI_TIMEOUT });
      expect(await line.textContent()).toContain('Tea set');
      expect(await line.textContent()).toContain('−¥30.00');
      expect(await page.getByTestId('cart-after-promotions').textContent()).toBe('¥150.00');
      await screenshot(page, 'promotions-cart-bundle');
      expect(errors).toEqual([]);
    } finally {
      await shopperPage.context.close();
    }
  });

  it('a promotion that ends while the shopper is on the checkout page: placing shows the new total and asks again', async () => {
    const [seller, shopper] = await Promise.all([registerUser(app, 'seller'), registerUser(app.url)]);
    const item = await stockedProduct(seller, {
      price: 20_000,
      stock: 5,
      categoryId: await leafCategory(seller),
      name: 'Lacquer tray',
    });
    const sale = await seller.post('/api/promotions', {
      kind: 'sale_price',
      title: 'Tray sale',
      sku: item.sku,
      salePrice: 15_000,
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(sale.status).toBe(201);
    await shopper.post('/api/me/addresses', {
      name: '韩梅梅',
      phone: '13900139000',
      province: '上海市',
      city: '上海市',
      district: '静安区',
      line1: '南京西路 1699 号',
      postcode: '200040',
    });
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });

    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, '/checkout');
      await page.getByTestId('quote').waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => page.getByTestId('quote-total').textContent()).toBe('¥150.00');

      // The seller ends the sale while the page still shows ¥150.00.
      expect((await seller.post(`/api/promotions/${sale.body.id}/end`)).status).toBe(200);
      await page.getByTestId('place-order').click();
      const notice = page.getByTestId('checkout-error');
      await notice.waitFor({ timeout: UI_TIMEOUT });
      expect(await notice.textContent()).toContain('your total is now ¥200.00');
      await expect.poll(() => page.getByTestId('quote-total').textContent()).toBe('¥200.00');
      expect(new URL(page.url()).pathname).toBe('/checkout');
      expect((await shopper.get('/api/orders')).body.items).toEqual([]);
      await screenshot(page, 'promotions-6-checkout-price-changed');

      // Placing again agrees to the total shown: charged ¥200.00.
      await page.getByTestId('place-order').click();
      await page.getByTestId('pay-amount').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('pay-amount').textContent()).toBe('¥200.00');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
