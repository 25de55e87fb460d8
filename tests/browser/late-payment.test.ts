import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUTS_EXPIRE_DUE_JOB } from '@market/core';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot } from '../support/browser';
import { checkout, leafCategory, registerUser, stockedProduct } from '../support/commerce';
import { waitFor } from '../support/process';

/**
 * A shopper who had the payment page open while their checkout expired, and pays anyway: the page lets
 * them (as a real PSP's would), the shop refunds at once, and the result page says so instead of
 * waiting for orders that will never be paid.
 */

const UI_TIMEOUT = 15_000;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([
    // Stock is held for 6 s: long enough to open the payment page, short enough to wait out.
    startTestApp({ products: 6, env: { RESERVATION_TTL_MINUTES: '0.1' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('paying after the checkout expired', () => {
  it('refunds at once and tells the shopper', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, {
      price: 2_500,
      stock: 2,
      categoryId: await leafCategory(seller),
    });
    const shopper = await registerUser(app.url);
    const tab = await openPage(browser, `${app.url}/`);
    const { page } = tab;
    try {
      await logIn(page, app.url, shopper.user.email, 'long enough password', '/');
      await page.getByTestId('account-button').waitFor({ timeout: UI_TIMEOUT });
      expect((await shopper.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
      const placed = (await checkout(shopper)).body;

      await page.goto(`${app.url}${placed.payment.redirectUrl}`);
      await page.getByTestId('pay-submit').waitFor({ timeout: UI_TIMEOUT });

      // The shopper dithers past the deadline; the expiry job (every 30 s) runs now.
      const deadline = new Date(placed.expiresAt).getTime();
      await waitFor(async () => Date.now() > deadline, 30_000, 'the deadline');
      await app.core.queue.enqueue(CHECKOUTS_EXPIRE_DUE_JOB, {});
      await waitFor(
        async () =>
          (await shopper.get(`/api/checkouts/${placed.checkoutId}`)).body.paymentStatus === 'expired',
        30_000,
        'the checkout to expire',
      );

      await page.getByTestId('pay-submit').click();
      const status = page.locator('[data-testid="payment-status"][data-paid-too-late="true"]');
      await status.waitFor({ timeout: 30_000 });
      expect(await page.locator('#result-title').textContent()).toContain('Paid too late: refunded');
      await screenshot(page, 'late-payment-refunded');
      const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
      expect(order.status).toBe('cancelled');
      expect(order.refunded).toBe(order.totals.total);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});
