import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory, registerUser, stockedProduct } from '../support/commerce';
import { waitFor } from '../support/process';

/** Favourites and the address book from the shopper's side: hearts, the favourites page, checkout. */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 6 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('favourites and addresses', () => {
  it('hearts a product, sees it on the favourites page, and the price drop shows there', async () => {
    const [seller, shopper] = await Promise.all([registerUser(app, 'seller'), registerUser(app.url)]);
    const item = await stockedProduct(seller, {
      price: 12_900,
      stock: 5,
      categoryId: await leafCategory(seller),
    });
    const { page, context, errors } = await openPage(browser, `${app.url}/p/${item.productId}`);
    try {
      // A guest's heart leads to the login page, which comes back to the product.
      await page.getByTestId('favourite-product').first().click();
      await page.waitForURL(/\/login\?next=/, { timeout: UI_TIMEOUT });
      await logIn(page, app.url, shopper.email, shopper.password, `/p/${item.productId}`, UI_TIMEOUT);
      const heart = page.locator('h1 + [data-testid="favourite-product"]');
      await heart.waitFor({ timeout: UI_TIMEOUT });
      await heart.click();
      await expect.poll(() => heart.getAttribute('data-favourited'), { timeout: UI_TIMEOUT }).toBe('true');
      await expect.poll(() => heart.textContent(), { timeout: UI_TIMEOUT }).toContain('1 favourited');
      await screenshot(page, 'favourites-1-product-page');

      expect(
        (await seller.patch(`/api/products/${item.productId}/variants/${item.sku}`, { price: 9_900 })).status,
      ).toBe(200);
      await waitFor(
        async () => (await shopper.get('/api/me/favourites/alerts')).body.items.length > 0,
        30_000,
      );

      await page.goto(`${app.url}/account/favourites`);
      const row = page.locator(`[data-testid="favourite-item"][data-target-id="${item.productId}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.getByTestId('price-drop-badge').textContent()).toContain('¥129.00');
      expect(await row.textContent()).toContain('¥99.00');
      await screenshot(page, 'favourites-2-favourites-page');

      await page.goto(`${app.url}/shop/${(await seller.get('/api/auth/session')).body.user!.shopId}`);
      const shopHeart = page.getByTestId('favourite-shop');
      await shopHeart.waitFor({ timeout: UI_TIMEOUT });
      await shopHeart.click();
      await expect
        .poll(() => shopHeart.getAttribute('data-favourited'), { timeout: UI_TIMEOUT })
        .toBe('true');
      await screenshot(page, 'favourites-3-shop-page');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps an address book and checks out to the default address', async () => {
    const [seller, shopper] = await Promise.all([registerUser(app, 'seller'), registerUser(app.url)]);
    const item = await stockedProduct(seller, {
      price: 5_000,
      stock: 5,
      categoryId: await leafCategory(seller),
    });
    await shopper.post('/api/me/addresses', {
      name: '韩梅梅',
      phone: '13900139000',
      province: '上海市',
      city: '上海市',
      district: '静安区',
      line1: '南京西路 1699 号',
      postcode: '200040',
    });
    const { page, context, errors } = await openPage(browser, `${app.url}/login`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, '/account/addresses', UI_TIMEOUT);
      await page.getByTestId('address-item').first().waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('add-address').click();
      await page.getByTestId('address-name').fill('李雷');
      await page.getByTestId('address-phone').fill('12345');
      await page.getByTestId('save-address-book').click();
      await page
        .locator('[data-testid="address-editor"] [aria-invalid="true"]')
        .first()
        .waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('address-phone').fill('+86 138 0013 8000');
      await page.getByTestId('address-line1').fill('世纪大道 88 号');
      await page.getByTestId('address-district').fill('浦东新区');
      await page.getByTestId('address-city').fill('上海市');
      await page.getByTestId('address-province').fill('上海市');
      await page.getByTestId('address-postcode').fill('200120');
      await page.getByTestId('save-address-book').click();
      await expect.poll(() => page.getByTestId('address-item').count(), { timeout: UI_TIMEOUT }).toBe(2);
      await page
        .locator('[data-testid="address-item"][data-default="false"]')
        .getByTestId('make-default')
        .click();
      await expect
        .poll(() => page.locator('[data-testid="address-item"][data-default="true"]').textContent(), {
          timeout: UI_TIMEOUT,
        })
        .toContain('李雷');
      await screenshot(page, 'addresses-1-book');

      await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
      await page.goto(`${app.url}/checkout`);
      await page.getByTestId('saved-addresses').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('[data-testid="saved-address"] input:checked').count()).toBe(1);
      expect(await page.locator('[data-testid="saved-address"]:has(input:checked)').textContent()).toContain(
        '李雷',
      );
      expect(await page.getByTestId('address-form').count()).toBe(0);
      await page.getByTestId('quote').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'addresses-2-checkout-picker');
      await page.getByTestId('place-order').click();
      await page.getByTestId('pay-amount').waitFor({ timeout: UI_TIMEOUT });
      const orders = (await shopper.get('/api/orders')).body.items;
      const order = (await shopper.get(`/api/orders/${orders[0]!.id}`)).body;
      expect(order.delivery.address).toMatchObject({
        name: '李雷',
        phone: '13800138000',
        district: '浦东新区',
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
