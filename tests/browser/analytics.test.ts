import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { createStaff } from '../support/accounts';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';

/**
 * The analytics dashboards in a real browser: the seller's page renders its charts and tables with no
 * console errors, and an order paid elsewhere moves today's figures in place (over Socket.IO, no reload).
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 1 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('analytics dashboards', () => {
  it("moves a seller's today figures live when an order is paid in another context", async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, {
      price: 8_800,
      stock: 10,
      categoryId: await leafCategory(seller),
    });

    const { page, errors, context } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, seller.email, seller.password, '/seller/analytics');
      await page.getByTestId('analytics-seller').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('range-today').click();
      const orders = page.getByTestId('fig-orders');
      await page.locator('[data-testid="fig-orders"][data-value="0"]').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('live-feed-empty').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('live-orders-hour').getAttribute('data-value')).toBe('0');
      // Buy only once the socket is connected, or the update could be missed.
      await page.locator('[data-testid="analytics-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      // The charts drew (uPlot canvases) and each has its table view.
      await page.locator('[data-testid="chart-daily"] canvas').first().waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="chart-hours"] canvas').first().waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'analytics-1-seller-today');

      const shopper = await registerUser(app.url, 'shopper');
      expect((await shopper.post('/api/cart/lines', { sku, qty: 2 })).status).toBe(200);
      const res = await checkout(shopper);
      expect(res.status).toBe(201);
      const paidAt = Date.now();
      await pay(shopper, res.body);

      await page.locator('[data-testid="fig-orders"][data-value="1"]').waitFor({ timeout: UI_TIMEOUT });
      const lagMs = Date.now() - paidAt;
      // The goal is 5 s from payment; on two busy shared cores the deadline is the UI timeout.
      console.info(`analytics live update ${lagMs} ms after the payment was completed`);
      expect(await orders.textContent()).toContain('1');
      expect(await page.getByTestId('fig-units').getAttribute('data-value')).toBe('2');
      // The live view: the order heads the feed and counts in the last hour.
      const orderId = (res.body as { orders: Array<{ id: string }> }).orders[0]!.id;
      await page
        .locator(`[data-testid="live-order"][data-order-id="${orderId}"]`)
        .waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="live-orders-hour"][data-value="1"]').waitFor({ timeout: UI_TIMEOUT });
      expect(
        await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);

      // The table view of a chart, and the language switch.
      await page.locator('[data-testid="chart-hours"] button[aria-pressed]').click();
      await page.locator('[data-testid="chart-hours"] table').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="table-products"] td', { hasText: 'Test item' }).first().waitFor({
        timeout: UI_TIMEOUT,
      });
      await screenshot(page, 'analytics-2-seller-paid');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the platform page to admins only', async () => {
    const admin = await createStaff(app, 'admin');
    const { page, errors, context } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, admin.email, admin.password, '/admin/analytics');
      await page.getByTestId('analytics-admin').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('fig-gmv').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('table-shops').waitFor({ timeout: UI_TIMEOUT });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    const shopper = await registerUser(app.url, 'shopper');
    const other = await openPage(browser, `${app.url}/`);
    try {
      await logIn(other.page, app.url, shopper.email, shopper.password, '/admin/analytics');
      await other.page.getByTestId('forbidden').waitFor({ timeout: UI_TIMEOUT });
    } finally {
      await other.context.close();
    }
  });
});
