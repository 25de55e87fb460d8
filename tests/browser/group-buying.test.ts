import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import type { ApiClient } from '../support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';
import { waitFor } from '../support/process';

/**
 * Group buying from the shopper's and the seller's side. The server's clock runs an hour ahead of the
 * browser's: the group page's countdown (an hour to fill) reads "00:59:…" only if it counts on the
 * server's clock ("01:59:…" on the browser's).
 */
const SERVER_AHEAD_MS = 60 * 60 * 1000;
const serverNow = () => Date.now() + SERVER_AHEAD_MS;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([
    startTestApp({ products: 1, clock: () => new Date(serverNow()) }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const ADDRESS = {
  name: '韩梅梅',
  phone: '13900139000',
  province: '上海市',
  city: '上海市',
  district: '静安区',
  line1: '南京西路 1699 号',
  postcode: '200040',
};

async function groupIdOf(buyer: ApiClient, orderId: string): Promise<string> {
  return (await buyer.get(`/api/orders/${orderId}`)).body.lines[0]!.groupId!;
}

describe('group buying pages', () => {
  it('the seller creates a deal; a shopper finds the open group on the product page, watches it fill live, joins and completes it', async () => {
    const [seller, leader, member, shopper] = await Promise.all([
      registerUser(app, 'seller'),
      registerUser(app.url),
      registerUser(app.url),
      registerUser(app.url),
    ]);
    const item = await stockedProduct(seller, {
      name: 'Group teapot',
      price: 12_000,
      stock: 20,
      categoryId: await leafCategory(seller),
    });
    expect((await shopper.post('/api/me/addresses', ADDRESS)).status).toBe(201);

    // The seller makes the deal on their page: ¥79 for groups of 3, an hour to fill.
    const sellerView = await openPage(browser, `${app.url}/`);
    try {
      const { page } = sellerView;
      await logIn(page, app.url, seller.email, seller.password, '/seller/group-deals');
      await page.getByTestId('group-deal-form').waitFor({ timeout: UI_TIMEOUT });
      await expect
        .poll(() => page.getByTestId('group-deal-sku').inputValue(), { timeout: UI_TIMEOUT })
        .toBe(item.sku);
      // Yuan read like every other management form: '1e2' is not ¥100, and nothing is sent.
      await page.getByTestId('group-deal-price').fill('1e2');
      await page.getByTestId('group-deal-create').click();
      await expect
        .poll(() => page.getByTestId('group-deal-form').textContent(), { timeout: UI_TIMEOUT })
        .toContain('Enter a price in yuan');
      expect((await seller.get('/api/seller/group-deals')).body.items).toEqual([]);
      await page.getByTestId('group-deal-price').fill('79');
      await page.getByTestId('group-deal-size').fill('3');
      await page.getByTestId('group-deal-hours').fill('1');
      await page.getByTestId('group-deal-create').click();
      await page.getByTestId('group-deal-created').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('group-deal-row').first().waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'group-1-seller-deals');
      expect(sellerView.errors).toEqual([]);
    } finally {
      await sellerView.context.close();
    }
    const deals = (await seller.get('/api/seller/group-deals')).body.items;
    expect(deals).toHaveLength(1);
    const deal = deals[0]!;
    expect(deal).toMatchObject({ sku: item.sku, groupPrice: 7_900, groupSize: 3, timeLimitMs: 3_600_000 });

    // The leader starts a group and pays.
    const started = await checkout(leader, { groupBuy: { dealId: deal.id } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const groupId = await groupIdOf(leader, started.body.orders[0]!.id);
    await pay(leader, started.body);
    await waitFor(async () => (await app.core.groupBuying.getGroup(groupId)).paid === 1, 20_000);

    const { page, context, errors } = await openPage(browser, `${app.url}/p/${item.productId}`);
    try {
      // The product page offers the deal and the group that is filling.
      const offer = page.getByTestId('group-offer');
      await offer.waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('group-offer-price').textContent()).toBe('¥79.00');
      await page.getByTestId('group-open').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('group-open').textContent()).toContain('2 seats left');
      await screenshot(page, 'group-2-product-offer');
      await page.getByTestId('group-open').locator('a').click();
      await page.waitForURL(new RegExp(`/groups/${groupId}$`), { timeout: UI_TIMEOUT });

      // The group page: one paid member, two open seats, a countdown on the server's clock.
      await page.getByTestId('group-seats').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('group-member').count()).toBe(1);
      expect(await page.getByTestId('group-empty-seat').count()).toBe(2);
      expect(await page.getByTestId('group-seats-left').textContent()).toContain('2 seats left');
      await expect
        .poll(() => page.getByTestId('group-countdown').textContent(), { timeout: UI_TIMEOUT })
        .toMatch(/^00:(59|58):\d\d$/);
      expect(await page.getByTestId('group-share-link').inputValue()).toBe(`${app.url}/groups/${groupId}`);
      await screenshot(page, 'group-3-page');

      // Another buyer joins and pays: the page moves without a reload.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      const joined = await checkout(member, { groupBuy: { dealId: deal.id, groupId } });
      expect(joined.status).toBe(201);
      await expect.poll(() => page.getByTestId('group-member').count(), { timeout: UI_TIMEOUT }).toBe(2);
      await expect
        .poll(() => page.getByTestId('group-seats-left').textContent(), { timeout: UI_TIMEOUT })
        .toContain('1 seat left');
      await pay(member, joined.body);
      await expect
        .poll(() => page.getByTestId('group-progress').textContent(), { timeout: UI_TIMEOUT })
        .toContain('2 of 3 paid');
      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      // The guest joins: signs in, checks out one unit at the group price, pays.
      await page.getByTestId('group-join').click();
      await page.waitForURL(/\/login\?next=/, { timeout: UI_TIMEOUT });
      await page.getByTestId('login-email').fill(shopper.email);
      await page.getByTestId('login-password').fill(shopper.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/checkout\?groupDeal=/, { timeout: UI_TIMEOUT });
      await page.getByTestId('group-checkout').waitFor({ timeout: UI_TIMEOUT });
      const shop = page.getByTestId('quote-shop');
      await shop.waitFor({ timeout: UI_TIMEOUT });
      expect(await shop.textContent()).toContain('¥79.00');
      await screenshot(page, 'group-4-checkout');
      await page.getByTestId('place-order').click();
      await page.getByTestId('pay-submit').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('pay-submit').click();
      await page.waitForURL(/\/checkout\/ck_[\w-]+/, { timeout: UI_TIMEOUT });

      // Full: the group page says so, and the seller may now accept every order.
      await page.goto(`${app.url}/groups/${groupId}`);
      await page
        .locator('[data-testid="group-status"][data-status="complete"]')
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('group-member').count()).toBe(3);
      await screenshot(page, 'group-5-complete');
      const accepted = await seller.post(`/api/orders/${started.body.orders[0]!.id}/accept`);
      expect(accepted.status).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // On a phone the page stacks: the product photo above the members, nothing wider than the screen.
    const phone = await openPage(browser, `${app.url}/groups/${groupId}`, { viewport: 'phone' });
    try {
      await phone.page.getByTestId('group-seats').waitFor({ timeout: UI_TIMEOUT });
      const overflow = await phone.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone.page, 'group-6-phone');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }

    // The seller ends the deal on their page: no more groups are offered on the product page.
    const ending = await openPage(browser, `${app.url}/`);
    try {
      const { page: sellerPage } = ending;
      await logIn(sellerPage, app.url, seller.email, seller.password, '/seller/group-deals');
      await sellerPage.getByTestId('group-deal-end').click();
      await sellerPage
        .locator('[data-testid="group-deal-row"][data-status="ended"]')
        .waitFor({ timeout: UI_TIMEOUT });
      expect((await shopper.get(`/api/products/${item.productId}/group-deals`)).body.items).toEqual([]);
      expect(ending.errors).toEqual([]);
    } finally {
      await ending.context.close();
    }

    // The back office lists every shop's deals, this one ended.
    const admin = await staffAccount(app, 'admin');
    const office = await openPage(browser, `${app.url}/`);
    try {
      await logIn(office.page, app.url, admin.email, admin.password, '/admin/group-deals');
      const row = office.page.locator('[data-testid="group-deal-row"][data-status="ended"]');
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await office.page.getByTestId('group-deals-page').getAttribute('data-scope')).toBe('admin');
      // The product's title, not only its SKU (an admin has no product list of their own).
      expect(await row.getByTestId('group-deal-product').textContent()).toBe('Group teapot');
      expect(await row.textContent()).toContain(item.sku);
      await screenshot(office.page, 'group-7-admin');
      expect(office.errors).toEqual([]);
    } finally {
      await office.context.close();
    }
  });
});
