import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { createStaff, staffAccount } from '../support/accounts';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';

/**
 * The operations journey in real browsers: a seller watches the order queue while a shopper pays, the
 * order appears live, the seller accepts and ships it, and support finds it and refunds part of it.
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

describe('order operations', () => {
  it('shows a paid order to its seller live; the seller ships it and support refunds ¥1', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, {
      price: 12_345,
      stock: 10,
      categoryId: await leafCategory(seller),
    });

    let orderId = '';
    let orderNumber = '';

    // The seller has the order queue open before anything is bought.
    const sellerTab = await openPage(browser, `${app.url}/`);
    const { page } = sellerTab;
    try {
      await logIn(page, app.url, seller.email, seller.password, '/seller?tab=orders');
      await page.getByTestId('seller-orders').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('empty-state').waitFor({ timeout: UI_TIMEOUT });
      // Only buy once the socket is connected, or the event could be missed.
      await page.locator('[data-testid="orders-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      await screenshot(page, 'operations-1-seller-queue-waiting');

      // A shopper buys two over the API and pays on the sandbox provider.
      const shopper = await registerUser(app.url);
      expect((await shopper.post('/api/cart/lines', { sku, qty: 2 })).status).toBe(200);
      const placed = await checkout(shopper);
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      orderId = placed.body.orders[0]!.id;
      orderNumber = placed.body.orders[0]!.number;
      await pay(shopper, placed.body);

      // The order appears in "To accept" without a reload, marked new, with the tab's count.
      const card = page.locator(`[data-testid="seller-order"][data-order-id="${orderId}"]`);
      await card.waitFor({ timeout: UI_TIMEOUT });
      await card.getByTestId('order-new').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('[data-testid="tab-orders"] [data-count]').getAttribute('data-count')).toBe(
        '1',
      );
      expect(await card.getByTestId('order-delivery').textContent()).toContain('88 Century Ave');
      expect(await card.getByTestId('order-totals').textContent()).toContain('¥246.90');
      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await screenshot(page, 'operations-2-seller-new-order-live');

      // Accept, then ship from "To ship" with a carrier and a tracking number.
      await card.getByTestId('order-accept').click();
      await page.getByTestId('orders-notice').waitFor({ timeout: UI_TIMEOUT });
      await card.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await page.getByTestId('orders-status-accepted').click();
      const accepted = page.locator(`[data-testid="seller-order"][data-order-id="${orderId}"]`);
      await accepted.getByTestId('order-ship').click();
      const dialog = page.getByTestId('ship-dialog');
      await dialog.waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('ship-carrier').selectOption('JD Logistics');
      await page.getByTestId('ship-tracking').fill('no');
      await page.getByTestId('ship-confirm').click();
      await page.getByTestId('field-error-trackingNumber').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'operations-3-seller-ship-dialog');
      await page.getByTestId('ship-tracking').fill('JD0012345678');
      await page.getByTestId('ship-confirm').click();
      await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await page.getByTestId('orders-status-shipped').click();
      const shipped = page.locator(
        `[data-testid="seller-order"][data-order-id="${orderId}"][data-status="shipped"]`,
      );
      await shipped.waitFor({ timeout: UI_TIMEOUT });
      expect(await shipped.getByTestId('order-tracking').textContent()).toContain('JD0012345678');
      await screenshot(page, 'operations-4-seller-shipped');
      expect(sellerTab.errors).toEqual([]);
    } finally {
      await sellerTab.context.close();
    }

    // Support finds the order by its number and refunds ¥1 of it.
    const agent = await createStaff(app, 'support', { name: 'Sam Support' });
    const supportTab = await openPage(browser, `${app.url}/`);
    try {
      const support = supportTab.page;
      await logIn(support, app.url, agent.email, agent.password, '/support');
      await support.getByTestId('support-console').waitFor({ timeout: UI_TIMEOUT });
      await support.getByTestId('support-search').fill(orderNumber);
      await support.getByTestId('support-search-submit').click();
      const row = support.locator(`[data-testid="support-order-row"][data-order-id="${orderId}"]`);
      await row.click();
      const detail = support.locator(`[data-testid="support-order"][data-order-id="${orderId}"]`);
      await detail.getByTestId('order-timeline').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(support, 'operations-5-support-order');

      await detail.getByTestId('support-refund').click();
      await support.getByTestId('refund-dialog').waitFor({ timeout: UI_TIMEOUT });
      await support.getByTestId('refund-partial').check();
      await support.getByTestId('refund-amount').fill('1');
      await support.getByTestId('refund-reason').fill('Box arrived dented');
      await support.getByTestId('refund-review').click();
      await support.getByTestId('refund-confirm').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(support, 'operations-6-support-refund-confirm');
      await support.getByTestId('refund-confirm').click();

      const refund = detail.locator('[data-testid="timeline-entry"][data-event="refund"]');
      await refund.waitFor({ timeout: UI_TIMEOUT });
      expect(await refund.textContent()).toContain('¥1.00');
      expect(await refund.textContent()).toContain('Box arrived dented');
      expect(await detail.getByTestId('order-refunded').textContent()).toContain('¥1.00');
      await screenshot(support, 'operations-7-support-refunded');

      const order = await orderAsSupport(orderId);
      expect(order.refunded).toBe(100);
      expect(order.status).toBe('shipped');
      expect(supportTab.errors).toEqual([]);
    } finally {
      await supportTab.context.close();
    }
  });

  it('tells people without the support role that /support is not for them', async () => {
    const shopper = await registerUser(app.url);
    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, '/support');
      await page.getByTestId('forbidden').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('forbidden').textContent()).toContain('403');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** The order as a support agent reads it over the API: the server's own record of the refund. */
async function orderAsSupport(orderId: string) {
  const api = await staffAccount(app, 'support', { name: 'Checker' });
  const res = await api.get(`/api/orders/${orderId}`);
  expect(res.status).toBe(200);
  return res.body;
}
