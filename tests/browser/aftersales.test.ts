import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { createStaff, staffAccount } from '../support/accounts';
import { leafCategory, registerUser } from '../support/commerce';
import { deliveredOrder, evidenceJpeg } from '../aftersales-helpers';
import { courierAt, deliveryWhen, everyoneOffline, near, STAFF_PASSWORD } from '../logistics-helpers';

/**
 * The after-sales journey in two real browsers: the buyer asks for a return with a photo, the seller
 * approves, the buyer ships it back, the seller confirms receipt, the refund lands — each side sees the
 * other's step live, without reloading — and the seller's finance page shows the order's credit less the
 * refund's debit. A second journey books a courier pickup instead, which the courier's app shows as a
 * return and whose pickup ships the request live.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 2 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const status = (page: Page, value: string) =>
  page
    .locator(`[data-testid="aftersales-page-status"][data-status="${value}"]`)
    .waitFor({ timeout: UI_TIMEOUT });
const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);
/** Fen as the pages print them (`formatFen`: ¥1,234.50, ¥-3.00). */
const yuan = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fen = (amount: number) => `¥${yuan.format(amount / 100)}`;

describe('after-sales in the browser', () => {
  it('returns an item with a photo, and both sides follow every step live', async () => {
    const seller = await registerUser(app, 'seller');
    const shopper = await registerUser(app.url);
    const category = await leafCategory(seller);
    // A 5 % commission in the category, so the seller's figures are not simply what the buyer paid.
    const admin = await staffAccount(app, 'admin');
    const rule = { scope: 'category', targetId: category, kind: 'percent', rateBp: 500 };
    expect((await admin.post('/api/admin/commission-rules', rule)).status).toBe(201);
    // Two lines, the first returned: the order completes first, so the seller was credited for it.
    const { order } = await deliveredOrder(seller, shopper, category, [
      { price: 15_800, qty: 1, stock: 4 },
      { price: 4_200, qty: 1, stock: 4 },
    ]);
    expect((await shopper.post(`/api/orders/${order.id}/complete`)).status).toBe(200);
    const sellerView = (await seller.get(`/api/orders/${order.id}`)).body;
    const commission = sellerView.commission.reduce((sum, line) => sum + line.amount, 0);
    expect(commission).toBeGreaterThan(0);
    const refundAmount = (await shopper.get(`/api/orders/${order.id}/aftersales`)).body.lines[0]!.maxAmount;

    const buyerTab = await openPage(browser, `${app.url}/`);
    const sellerTab = await openPage(browser, `${app.url}/`);
    const buyer = buyerTab.page;
    const shop = sellerTab.page;
    try {
      // The buyer finds "Request a return/refund" on the delivered line.
      await logIn(buyer, app.url, shopper.email, shopper.password, `/orders/${order.id}`);
      await buyer.getByTestId('order-aftersales').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(buyer, 'aftersales-1-order-delivered');
      await buyer.getByTestId('aftersales-request-0').click();
      await buyer.getByTestId('aftersales-form-page').waitFor({ timeout: UI_TIMEOUT });
      expect(await buyer.getByTestId('aftersales-amount').inputValue()).toBe((refundAmount / 100).toFixed(2));

      // Return and refund, damaged, with a photo uploaded through the drop zone.
      await buyer.getByTestId('aftersales-type-return').check();
      await buyer.getByTestId('aftersales-reason').selectOption('damaged');
      await buyer.getByTestId('aftersales-description').fill('The glass arrived cracked');
      await buyer.getByTestId('aftersales-photo-input').setInputFiles({
        name: 'crack.jpg',
        mimeType: 'image/jpeg',
        buffer: await evidenceJpeg(),
      });
      await buyer.getByTestId('aftersales-photo-thumb').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(buyer, 'aftersales-2-request-form');
      await buyer.getByTestId('aftersales-submit').click();
      await buyer.getByTestId('aftersales-page').waitFor({ timeout: UI_TIMEOUT });
      await status(buyer, 'requested');
      const requestId = buyer.url().split('/').pop()!;
      await markDocument(buyer);
      await screenshot(buyer, 'aftersales-3-buyer-requested');

      // The seller finds it in the queue with its deadline, and opens it (the photo loads for them).
      await logIn(shop, app.url, seller.email, seller.password, '/seller/aftersales');
      const row = shop.locator(`[data-testid="aftersales-queue-row"][data-id="${requestId}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      await row.getByTestId('aftersales-countdown').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(shop, 'aftersales-4-seller-queue');
      await row.getByTestId('aftersales-queue-open').click();
      await status(shop, 'requested');
      const evidence = shop.getByTestId('aftersales-evidence');
      await evidence.waitFor({ timeout: UI_TIMEOUT });
      await shop.waitForFunction(
        () =>
          (document.querySelector('[data-testid="aftersales-evidence"]') as HTMLImageElement | null)
            ?.naturalWidth,
        undefined,
        { timeout: UI_TIMEOUT },
      );
      await markDocument(shop);

      // The seller approves: the buyer's page moves to "send it back" by itself.
      await shop.getByTestId('aftersales-approve').click();
      await status(shop, 'awaiting_return');
      await status(buyer, 'awaiting_return');
      await screenshot(buyer, 'aftersales-5-buyer-approved-live');

      // The buyer ships it back: the seller's page shows the tracking number by itself.
      await buyer.getByTestId('aftersales-carrier').fill('SF Express');
      await buyer.getByTestId('aftersales-tracking-number').fill('SF100200300');
      await buyer.getByTestId('aftersales-ship').click();
      await status(buyer, 'return_shipped');
      await status(shop, 'return_shipped');
      expect(await shop.getByTestId('aftersales-tracking').textContent()).toContain('SF100200300');
      await screenshot(shop, 'aftersales-6-seller-return-shipped-live');

      // The seller confirms receipt (resellable): the refund lands, and the buyer sees it live.
      await shop.getByTestId('aftersales-receive').click();
      await status(shop, 'refunded');
      await status(buyer, 'refunded');
      expect(await buyer.getByTestId('aftersales-refunded').textContent()).toContain(fen(refundAmount));
      await screenshot(buyer, 'aftersales-7-buyer-refunded-live');
      await screenshot(shop, 'aftersales-8-seller-refunded');
      expect(await sameDocument(buyer)).toBe(true);
      expect(await sameDocument(shop)).toBe(true);

      // The order says so too: refunded in part (the second line stays), with the refund in its history.
      await buyer.goto(`${app.url}/orders/${order.id}`);
      await buyer
        .locator('[data-testid="order-refund-state"][data-state="partial"]')
        .waitFor({ timeout: UI_TIMEOUT });
      await screenshot(buyer, 'aftersales-9-order-refunded');
      const refunds = await app.core.payments.refundsOf(order.id);
      expect(refunds.map((r) => r.amount)).toEqual([refundAmount]);

      // The seller's money: the order's credit (what was paid, no platform funding here, less the
      // commission) pending until the window closes, less the refund's share of it. The refund takes the
      // seller's part of what went back (the rest is the commission the platform returns).
      const paid = sellerView.totals.total;
      const credit = paid - commission;
      const debit = Math.round((refundAmount * credit) / paid);
      const pending = credit - debit;
      await shop.goto(`${app.url}/seller/finance`);
      await shop.getByTestId('finance-entries').waitFor({ timeout: UI_TIMEOUT });
      const figure = (id: string) => shop.getByTestId(id).locator('strong').textContent();
      await expect.poll(() => figure('finance-pending'), { timeout: UI_TIMEOUT }).toBe(fen(pending));
      expect(await figure('finance-available')).toBe(fen(0));
      expect(await figure('finance-balance')).toBe(fen(pending));
      const entries = shop.getByTestId('finance-entries');
      expect(await entries.textContent()).toContain(fen(credit));
      expect(await entries.textContent()).toContain(fen(-debit));
      await screenshot(shop, 'aftersales-9b-seller-finance-after-refund');

      expect(buyerTab.errors).toEqual([]);
      expect(sellerTab.errors).toEqual([]);
    } finally {
      await buyerTab.context.close();
      await sellerTab.context.close();
    }
  });
  it('books a courier pickup: the courier app shows a return, and its pickup ships the request live', async () => {
    const seller = await registerUser(app, 'seller');
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, await leafCategory(seller), [{ price: 8_800 }]);
    const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'return',
      reason: 'wrong_item',
      amount: order.totals.total,
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    expect((await seller.post(`/api/aftersales/${id}/approve`)).status).toBe(200);
    // The demo couriers go off duty: the pickup waits for this test's courier.
    await everyoneOffline(app);

    const buyerTab = await openPage(browser, `${app.url}/`);
    const courierTab = await openPage(browser, `${app.url}/`, { viewport: 'phone' });
    const buyer = buyerTab.page;
    const c = courierTab.page;
    try {
      await logIn(buyer, app.url, shopper.email, shopper.password, `/aftersales/${id}`);
      await status(buyer, 'awaiting_return');
      // Both ways back are offered: the buyer's own carrier, or a courier at the door.
      await buyer.getByTestId('aftersales-ship').waitFor({ timeout: UI_TIMEOUT });
      await markDocument(buyer);
      await buyer.getByTestId('aftersales-book-pickup').click();
      const tracker = buyer.getByTestId('aftersales-pickup-tracker');
      await tracker.waitFor({ timeout: UI_TIMEOUT });
      expect(await buyer.getByTestId('aftersales-ship').count()).toBe(0);
      await screenshot(buyer, 'aftersales-12-buyer-pickup-booked');
      const deliveryId = (await tracker.getAttribute('data-delivery-id'))!;
      const waiting = (await shopper.get(`/api/deliveries/${deliveryId}`)).body;

      // A courier near the buyer's address gets the offer, marked as a return pickup.
      const courier = await courierAt(app, near(waiting.pickup, 300), 'online', 'Return Courier');
      await logIn(c, app.url, courier.user.email, STAFF_PASSWORD, '/courier', UI_TIMEOUT);
      const offer = c.locator(`[data-testid="courier-offer"][data-delivery-id="${deliveryId}"]`);
      await offer.waitFor({ timeout: UI_TIMEOUT });
      await offer.getByTestId('courier-return-tag').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(c, 'aftersales-13-courier-return-offer');
      await offer.getByTestId('courier-accept').click();
      const active = c.locator(`[data-testid="courier-active"][data-delivery-id="${deliveryId}"]`);
      await active.getByTestId('courier-return-tag').waitFor({ timeout: UI_TIMEOUT });
      await buyer
        .locator('[data-testid="aftersales-pickup-tracker"][data-status="accepted"]')
        .waitFor({ timeout: UI_TIMEOUT });

      // Picked up at the buyer's: the request is shipped, on the buyer's page by itself.
      await active.getByTestId('courier-picked-up').click();
      await status(buyer, 'return_shipped');
      expect(await buyer.getByTestId('aftersales-tracking').textContent()).toContain(waiting.trackingNumber);
      await screenshot(buyer, 'aftersales-14-buyer-picked-up-live');
      expect(await sameDocument(buyer)).toBe(true);
      await deliveryWhen(courier, deliveryId, (d) => d.status === 'picked_up');

      expect(buyerTab.errors).toEqual([]);
      expect(courierTab.errors).toEqual([]);
    } finally {
      await buyerTab.context.close();
      await courierTab.context.close();
    }
  });

  it('lets support decide an escalation from the console, in Chinese', async () => {
    const seller = await registerUser(app, 'seller');
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, await leafCategory(seller), [{ price: 9_900 }]);
    const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'refund',
      reason: 'not_as_described',
      description: '颜色与图片不符',
      amount: 9_900,
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    expect(
      (await seller.post(`/api/aftersales/${id}/reject`, { reason: 'Colour matches the listing' })).status,
    ).toBe(200);
    expect((await shopper.post(`/api/aftersales/${id}/escalate`, { note: 'Photos attached' })).status).toBe(
      200,
    );

    const staff = await createStaff(app, 'support');
    const tab = await openPage(browser, `${app.url}/`, { locale: 'zh-CN' });
    const { page } = tab;
    try {
      await logIn(page, app.url, staff.email, staff.password, '/support?view=aftersales');
      const row = page.locator(`[data-testid="aftersales-queue-row"][data-id="${id}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('support-tab-aftersales').textContent()).toContain('售后');
      await screenshot(page, 'aftersales-10-support-escalations-zh');
      await row.getByTestId('aftersales-queue-open').click();
      await status(page, 'escalated');
      await page.getByTestId('aftersales-decide-note').fill('图片显示颜色不符，同意退款');
      await page.getByTestId('aftersales-decide-approve').click();
      await status(page, 'refunded');
      await screenshot(page, 'aftersales-11-support-decided-zh');
      // The page shows the refund as soon as its live event arrives, which can be before the decision's
      // request has written its audit entry: wait for the entry, do not read it once.
      await expect
        .poll(
          async () => (await app.core.audit.list({ targetId: id }, { limit: 5 })).items.map((e) => e.action),
          { timeout: UI_TIMEOUT },
        )
        .toEqual(['aftersale.approved']);
      expect((await shopper.get(`/api/orders/${order.id}`)).body.refundState).toBe('full');
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});
