import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@market/core';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot } from '../support/browser';
import { ApiClient } from '../support/client';
import { checkout, leafCategory, registerUser, stockedProduct } from '../support/commerce';

/**
 * Support at their console when a correctly signed payment event that does not match its payment
 * arrives: it is refused, a toast says so at once, leads to the order, and stays listed after a reload.
 */

const UI_TIMEOUT = 15_000;

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

describe('payment alerts in the support console', () => {
  it('shows a refused payment event as a toast that opens the order, and keeps it after a reload', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, {
      price: 4_200,
      stock: 3,
      categoryId: await leafCategory(seller),
    });
    const shopper = await registerUser(app.url);
    expect((await shopper.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const placed = (await checkout(shopper)).body;
    const orderId = placed.orders[0]!.id;
    const payment = await app.core.payments.get(placed.payment.id);

    const email = `support-${randomBytes(4).toString('hex')}@example.test`;
    await app.core.users.createUser({
      email,
      name: 'Support',
      password: 'support password 1',
      roles: ['support'],
    });
    const tab = await openPage(browser, `${app.url}/`);
    const { page } = tab;
    try {
      await logIn(page, app.url, email, 'support password 1', '/support');
      await page.getByTestId('support-console').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="support-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });

      // The provider (or whoever holds its key) claims ¥0.01 settled a ¥42 order.
      const body = JSON.stringify({
        id: `evt_cheap_${placed.checkoutId}`,
        type: 'payment.succeeded',
        created: Math.floor(Date.now() / 1000),
        data: {
          paymentId: payment._id,
          providerRef: payment.providerRef,
          amount: 1,
          currency: 'CNY',
          method: 'card',
        },
      });
      const refused = await new ApiClient(app.url).request('POST', '/api/payments/webhooks/sandbox', {
        body,
        headers: {
          'content-type': 'application/json',
          'sandbox-signature': signWebhook(await app.core.paymentWebhookSecret(), body, new Date()),
        },
      });
      expect(refused.status).toBe(422);

      const toast = page.locator('[data-testid="ops-alert-toast"][data-kind="payment_mismatch"]');
      await toast.waitFor({ timeout: UI_TIMEOUT });
      expect(await toast.textContent()).toContain(payment._id);
      await screenshot(page, 'payment-alert-1-toast');
      await toast.click();
      await page
        .locator(`[data-testid="support-order"][data-order-id="${orderId}"]`)
        .waitFor({ timeout: UI_TIMEOUT });
      expect(new URL(page.url()).searchParams.get('order')).toBe(orderId);

      await page.reload();
      await page.getByTestId('support-console').waitFor({ timeout: UI_TIMEOUT });
      const toggle = page.getByTestId('support-alerts-toggle');
      await page.waitForFunction(
        () =>
          Number(
            document.querySelector('[data-testid="support-alerts-toggle"]')?.getAttribute('data-count'),
          ) > 0,
        undefined,
        { timeout: UI_TIMEOUT },
      );
      await toggle.click();
      const listed = page.getByTestId('support-alerts');
      await listed.waitFor({ timeout: UI_TIMEOUT });
      expect(await listed.textContent()).toContain(`for payment ${payment._id}`);
      await screenshot(page, 'payment-alert-2-listed');
      expect((await shopper.get(`/api/orders/${orderId}`)).body.status).toBe('pending_payment');
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});
