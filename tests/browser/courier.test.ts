import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopPlace } from '@market/core';
import {
  acceptAndWaitForDelivery,
  courierAt,
  deliveryWhen,
  everyoneOffline,
  near,
  paidOrder,
  staff,
  STAFF_PASSWORD,
} from '../logistics-helpers';
import { startTestApp, type TestApp } from '../support/app';
import {
  assertUiBuilt,
  launchBrowser,
  logIn,
  openPage,
  screenshot,
  type OpenedPage,
  UI_TIMEOUT,
} from '../support/browser';
import { waitFor } from '../support/process';

/**
 * The courier journey in three browsers at once: an order is offered to the nearest courier, who accepts
 * it in the courier app (phone), picks it up and drives it over with the route simulator; the shopper's
 * order page shows the marker move on the map and the status turn delivered; support's deliveries feed
 * follows the same delivery live.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 8 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const markerAt = async (page: Page) => {
  const marker = page.getByTestId('map-courier').first();
  return `${await marker.getAttribute('data-lat')},${await marker.getAttribute('data-lng')}`;
};

describe('courier delivery, live', () => {
  it('assigns, drives with the simulator, and shows the shopper and support the same delivery moving to delivered', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const shop = shopPlace(o.order.shopName, '');
    const courier = await courierAt(app, near(shop, 900, 700), 'online', 'Lin Courier');
    const farther = await courierAt(app, near(shop, -5000), 'online', 'Far Courier');
    const support = await staff(app, 'support');

    const tabs: OpenedPage[] = [];
    try {
      const courierTab = await openPage(browser, `${app.url}/`, { viewport: 'phone' });
      tabs.push(courierTab);
      const c = courierTab.page;
      await logIn(c, app.url, courier.user.email, STAFF_PASSWORD, '/courier', UI_TIMEOUT);
      await c.getByTestId('courier-app').waitFor({ timeout: UI_TIMEOUT });
      await c.locator('[data-testid="courier-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });

      const shopperTab = await openPage(browser, `${app.url}/`);
      tabs.push(shopperTab);
      const s = shopperTab.page;
      await logIn(s, app.url, o.shopper.email, o.shopper.password, `/orders/${o.orderId}`, UI_TIMEOUT);
      await s.getByTestId('order-page').waitFor({ timeout: UI_TIMEOUT });

      const supportTab = await openPage(browser, `${app.url}/`);
      tabs.push(supportTab);
      const sp = supportTab.page;
      await logIn(sp, app.url, support.user.email, STAFF_PASSWORD, '/support?view=deliveries', UI_TIMEOUT);
      await sp.getByTestId('support-deliveries').waitFor({ timeout: UI_TIMEOUT });
      await sp.locator('[data-testid="support-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });

      // The seller accepts: the delivery is created and offered to the nearest courier, live.
      expect((await o.seller.post(`/api/orders/${o.orderId}/accept`)).status).toBe(200);
      const offer = c.getByTestId('courier-offer');
      await offer.waitFor({ timeout: UI_TIMEOUT });
      const deliveryId = (await offer.getAttribute('data-delivery-id'))!;
      expect(await c.getByTestId('courier-offer-countdown').textContent()).toMatch(/\d+ s/);
      await screenshot(c, 'courier-1-offer');
      const supportRow = (status: string) =>
        sp.locator(
          `[data-testid="support-delivery-row"][data-delivery-id="${deliveryId}"][data-status="${status}"]`,
        );
      await supportRow('assigned').waitFor({ timeout: UI_TIMEOUT });
      expect((await farther.get('/api/courier/deliveries')).body.items).toEqual([]);

      await c.getByTestId('courier-accept').click();
      const active = (status: string) =>
        c.locator(
          `[data-testid="courier-active"][data-delivery-id="${deliveryId}"][data-status="${status}"]`,
        );
      await active('accepted').waitFor({ timeout: UI_TIMEOUT });
      await supportRow('accepted').waitFor({ timeout: UI_TIMEOUT });
      await c.getByTestId('courier-picked-up').click();
      await active('picked_up').waitFor({ timeout: UI_TIMEOUT });

      // The shopper's page follows: picked up (the order is shipped), with the code to give the courier.
      const tracker = (status: string) =>
        s.locator(`[data-testid="order-delivery-tracker"][data-status="${status}"]`);
      await tracker('picked_up').waitFor({ timeout: UI_TIMEOUT });
      await s.locator('.badge[data-status="shipped"]').waitFor({ timeout: UI_TIMEOUT });
      const code = (await s.getByTestId('delivery-code').textContent())!.trim();
      expect(code).toMatch(/^\d{6}$/);

      // Drive: the simulator sends a fix a second along the route to the address.
      await c.getByTestId('courier-simulator').click();
      await c.getByTestId('courier-sim-speed').fill('90');
      await c.getByTestId('courier-in-transit').click();
      await active('in_transit').waitFor({ timeout: UI_TIMEOUT });
      await tracker('in_transit').waitFor({ timeout: UI_TIMEOUT });

      await s.getByTestId('map-courier').waitFor({ timeout: UI_TIMEOUT });
      const seen = new Set([await markerAt(s)]);
      await waitFor(async () => {
        seen.add(await markerAt(s));
        return seen.size >= 3;
      }, UI_TIMEOUT);
      await s.getByTestId('delivery-eta').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(s, 'courier-2-shopper-tracking');
      await screenshot(c, 'courier-3-courier-driving');

      // Support opens the same delivery and sees the courier moving on its map too.
      await supportRow('in_transit').click();
      await sp.getByTestId('support-delivery-tracker').waitFor({ timeout: UI_TIMEOUT });
      await sp.getByTestId('map-courier').waitFor({ timeout: UI_TIMEOUT });
      const supportSeen = new Set([await markerAt(sp)]);
      await waitFor(async () => {
        supportSeen.add(await markerAt(sp));
        return supportSeen.size >= 2;
      }, UI_TIMEOUT);
      await screenshot(sp, 'courier-4-support-delivery');

      // The shopper reads out the code; the courier types it: delivered, everywhere.
      await c.getByTestId('courier-code').fill(code);
      await c.getByTestId('courier-deliver').click();
      await c
        .locator(`[data-testid="courier-done"][data-delivery-id="${deliveryId}"]`)
        .waitFor({ timeout: UI_TIMEOUT });
      await tracker('delivered').waitFor({ timeout: UI_TIMEOUT });
      await waitFor(
        async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'delivered',
      );
      await supportRow('delivered').waitFor({ timeout: UI_TIMEOUT });
      await sp
        .locator(`[data-testid="support-delivery-tracker"][data-status="delivered"]`)
        .waitFor({ timeout: UI_TIMEOUT });
      await screenshot(s, 'courier-5-shopper-delivered');
      await c.getByTestId('courier-position-off').click();

      for (const tab of tabs) expect(tab.errors).toEqual([]);
    } finally {
      for (const tab of tabs) await tab.context.close();
    }
  });

  it("shows the seller no Ship button once a courier has an order's delivery, and warns before shipping one by hand", async () => {
    await everyoneOffline(app);
    const taken = await paidOrder(app);
    const courier = await courierAt(
      app,
      near(shopPlace(taken.order.shopName, ''), 300),
      'online',
      'Lin Courier',
    );
    const delivery = await acceptAndWaitForDelivery(app, taken);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(200);
    // Another shop's order, whose delivery no courier has accepted yet.
    const waiting = await paidOrder(app);
    await acceptAndWaitForDelivery(app, waiting);

    const tabs: OpenedPage[] = [];
    try {
      const sellerTab = await openPage(browser, `${app.url}/`);
      tabs.push(sellerTab);
      const page = sellerTab.page;
      await logIn(
        page,
        app.url,
        taken.seller.email,
        taken.seller.password,
        '/seller?tab=orders&status=accepted',
        UI_TIMEOUT,
      );
      const card = page.locator(`[data-testid="seller-order"][data-order-id="${taken.orderId}"]`);
      await card.getByTestId('order-courier-note').waitFor({ timeout: UI_TIMEOUT });
      expect(await card.getByTestId('order-courier-note').textContent()).toContain(
        'ships when they pick it up',
      );
      expect(await card.getByTestId('order-ship').count()).toBe(0);
      expect(await card.getByTestId('order-cancel').count()).toBe(1);
      await screenshot(page, 'courier-6-seller-order-courier-has-it');

      const otherTab = await openPage(browser, `${app.url}/`);
      tabs.push(otherTab);
      const p2 = otherTab.page;
      await logIn(
        p2,
        app.url,
        waiting.seller.email,
        waiting.seller.password,
        '/seller?tab=orders&status=accepted',
        UI_TIMEOUT,
      );
      const other = p2.locator(`[data-testid="seller-order"][data-order-id="${waiting.orderId}"]`);
      await other.getByTestId('order-ship').click();
      await p2.getByTestId('ship-courier-hint').waitFor({ timeout: UI_TIMEOUT });
      expect(await other.getByTestId('order-courier-note').count()).toBe(0);
      await screenshot(p2, 'courier-7-seller-ship-dialog-courier-hint');
      for (const tab of tabs) expect(tab.errors).toEqual([]);
    } finally {
      for (const tab of tabs) await tab.context.close();
    }
  });
});
