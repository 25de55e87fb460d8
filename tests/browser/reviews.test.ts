import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { createStaff } from '../support/accounts';
import {
  assertUiBuilt,
  launchBrowser,
  logIn,
  openPage,
  screenshot,
  type OpenedPage,
  UI_TIMEOUT,
} from '../support/browser';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';

/**
 * The reviews journey in real browsers: a shopper reviews a delivered order's product from the order
 * page (stars chosen with the keyboard), the product page shows it with the new average, the seller
 * replies inline, support hides it, and a visitor on a phone in Chinese no longer sees it.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 12 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function inTab(opened: OpenedPage, run: (page: Page) => Promise<void>) {
  try {
    await run(opened.page);
    expect(opened.errors).toEqual([]);
  } finally {
    await opened.context.close();
  }
}

describe('product reviews', () => {
  it('goes from a delivered order to a review, a seller reply and moderation', async () => {
    const seller = await registerUser(app, 'seller');
    const item = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(shopper)).body;
    await pay(shopper, placed);
    const orderId = placed.orders[0]!.id as string;
    await seller.post(`/api/orders/${orderId}/accept`);
    await seller.post(`/api/orders/${orderId}/ship`, { carrier: 'SF Express', trackingNumber: 'SF20260001' });
    await seller.post(`/api/orders/${orderId}/deliver`);
    const support = await createStaff(app, 'support', { name: 'Sam' });

    await inTab(await openPage(browser, `${app.url}/`), async (page) => {
      await logIn(page, app.url, shopper.email, shopper.password, `/orders/${orderId}`, UI_TIMEOUT);
      await page.getByTestId('order-review-write').click({ timeout: UI_TIMEOUT });
      // Posting without stars or a title names both problems and posts nothing.
      await page.getByTestId('review-submit').click();
      await page.getByTestId('field-error-rating').waitFor();
      // Radios: arrow keys choose the stars.
      await page.getByTestId('rating-input-1').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await page.getByTestId('review-title').fill('Sturdy and light');
      await page.getByTestId('review-body').fill('Survived a week of commuting.');
      await screenshot(page, 'reviews-1-order-form');
      await page.getByTestId('review-submit').click();
      await page.getByTestId('order-review-posted').waitFor({ timeout: UI_TIMEOUT });

      await page.goto(`${app.url}/p/${item.productId}`);
      const badge = page.getByTestId('product-rating');
      await page.locator('[data-testid="product-rating"][data-count="1"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await badge.getAttribute('data-average')).toBe('4');
      await expect.poll(() => page.getByTestId('review').count(), { timeout: UI_TIMEOUT }).toBe(1);
      expect(await page.getByTestId('review').textContent()).toContain('Sturdy and light');
      // Reviewed already: no form is offered.
      expect(await page.getByTestId('review-write').count()).toBe(0);
    });

    await inTab(await openPage(browser, `${app.url}/`), async (page) => {
      await logIn(page, app.url, seller.email, seller.password, `/p/${item.productId}`, UI_TIMEOUT);
      await page.getByTestId('reply-open').click({ timeout: UI_TIMEOUT });
      await page.getByTestId('reply-input').fill('Thank you! Enjoy your commute.');
      await page.getByTestId('reply-submit').click();
      await page.getByTestId('review-reply').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('review-reply').textContent()).toContain('Enjoy your commute');
      await screenshot(page, 'reviews-2-seller-reply');
    });

    await inTab(await openPage(browser, `${app.url}/`), async (page) => {
      await logIn(page, app.url, support.email, support.password, `/p/${item.productId}`, UI_TIMEOUT);
      await page.getByTestId('hide-open').click({ timeout: UI_TIMEOUT });
      await page.getByTestId('hide-reason').fill('Test of moderation');
      await page.getByTestId('hide-submit').click();
      await page.getByTestId('review-hidden-badge').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="product-rating"][data-count="0"]').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'reviews-3-support-hid');
    });

    const visitor = await openPage(browser, `${app.url}/`, { viewport: 'phone', locale: 'zh-CN' });
    await inTab(visitor, async (page) => {
      await page.goto(`${app.url}/p/${item.productId}`);
      await page.getByTestId('reviews-empty').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('product-reviews').textContent()).toContain('暂无评价');
      await screenshot(page, 'reviews-4-visitor-phone-zh');
    });
  });
});
