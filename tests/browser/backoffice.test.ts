import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerSeller,
  staffAccount,
  uniqueName,
  VALID_BUSINESS_DETAILS,
  type SignedIn,
} from '../support/accounts';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory, stockedProduct } from '../support/commerce';
import { ApiClient } from '../support/client';

/**
 * Back-office journeys in Chromium: a new seller applies in the seller centre and an admin approves them
 * in the console, so the shop goes live; suspending a shop takes its cards off a category page another
 * visitor is looking at, without a reload; a takedown's reason reaches the seller centre.
 */

let app: TestApp;
let browser: Browser;
let admin: SignedIn;
let category: string;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 12 }), launchBrowser()]);
  admin = await staffAccount(app, 'admin', { name: 'Console Admin' });
  category = await leafCategory(admin);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const shopOf = async (seller: SignedIn) => (await seller.get('/api/auth/session')).body.user!.shopId!;

describe('back office in the browser', () => {
  it('a new seller applies, an admin approves in the console, and the shop goes live', async () => {
    const shopName = uniqueName('Tea House');
    const seller = await registerSeller(app, { pending: true, name: 'New Seller', shopName });
    const shopId = await shopOf(seller);
    const item = await stockedProduct(seller, { stock: 4, categoryId: category, name: `Oolong ${shopName}` });

    const sellerPage = await openPage(browser, app.url);
    const adminPage = await openPage(browser, app.url);
    try {
      await logIn(sellerPage.page, app.url, seller.email, seller.password, '/seller');
      const panel = sellerPage.page.getByTestId('seller-application');
      await panel.waitFor({ timeout: UI_TIMEOUT });
      await sellerPage.page.getByTestId('app-legal-name').fill(VALID_BUSINESS_DETAILS.legalName);
      await sellerPage.page.getByTestId('app-licence').fill(VALID_BUSINESS_DETAILS.licenceNumber);
      await sellerPage.page.getByTestId('app-phone').fill(VALID_BUSINESS_DETAILS.contactPhone);
      await sellerPage.page.getByTestId('app-address').fill(VALID_BUSINESS_DETAILS.address);
      await sellerPage.page.getByTestId('app-category').first().check();
      await sellerPage.page.getByTestId('app-submit').click();
      await sellerPage.page.getByTestId('application-sent').waitFor({ timeout: UI_TIMEOUT });
      expect(await panel.getAttribute('data-status')).toBe('submitted');
      await screenshot(sellerPage.page, 'seller-application-submitted');

      await logIn(adminPage.page, app.url, admin.email, admin.password, '/admin/sellers');
      const application = adminPage.page.locator(`[data-testid="application"][data-shop-id="${shopId}"]`);
      await application.waitFor({ timeout: UI_TIMEOUT });
      await screenshot(adminPage.page, 'admin-sellers-queue');
      await application.getByTestId('approve').click();
      await adminPage.page.getByTestId('sellers-notice').waitFor({ timeout: UI_TIMEOUT });
      await expect
        .poll(
          async () => (await new ApiClient(app.url).get(`/api/products?shop=${shopId}`)).body.items.length,
          {
            timeout: UI_TIMEOUT,
          },
        )
        .toBe(1);

      const shopper = await openPage(browser, `${app.url}/shop/${shopId}`);
      try {
        await shopper.page
          .locator(`[data-testid="product-card"]`)
          .filter({ hasText: `Oolong ${shopName}` })
          .waitFor({ timeout: UI_TIMEOUT });
        expect(shopper.errors).toEqual([]);
      } finally {
        await shopper.context.close();
      }
      // The seller centre no longer asks for the application.
      await sellerPage.page.reload();
      await sellerPage.page.getByTestId('seller-centre').waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => sellerPage.page.getByTestId('seller-application').count()).toBe(0);
      expect(item.productId).toBeTruthy();
      expect(adminPage.errors).toEqual([]);
    } finally {
      await sellerPage.context.close();
      await adminPage.context.close();
    }
  });

  it('suspending a shop takes its cards off a category page being watched, live; reinstating brings them back', async () => {
    const seller = await registerSeller(app, { name: 'Watched Seller' });
    const shopId = await shopOf(seller);
    const name = uniqueName('Watched teapot');
    const item = await stockedProduct(seller, { stock: 3, categoryId: category, name });
    await expect
      .poll(
        async () => (await new ApiClient(app.url).get(`/api/products?shop=${shopId}`)).body.items.length,
        {
          timeout: UI_TIMEOUT,
        },
      )
      .toBe(1);

    const watcher = await openPage(browser, `${app.url}/shop/${shopId}`);
    const adminPage = await openPage(browser, app.url);
    try {
      const card = watcher.page.locator(`[data-testid="product-card"]`).filter({ hasText: name });
      await card.waitFor({ timeout: UI_TIMEOUT });
      // Only act once the server confirmed it sends this card's updates, or the message could be missed.
      await watcher.page
        .locator(`[data-testid="product-card"][data-live="true"]`)
        .filter({ hasText: name })
        .waitFor({ timeout: UI_TIMEOUT });

      await logIn(adminPage.page, app.url, admin.email, admin.password, '/admin/sellers');
      const row = adminPage.page.locator(`[data-testid="shop-row"][data-shop-id="${shopId}"]`);
      await adminPage.page.getByTestId('shop-row').first().waitFor({ timeout: UI_TIMEOUT });
      // Shops are paged: load more until this one is listed.
      const rows = adminPage.page.getByTestId('shop-row');
      while (!(await row.count())) {
        const shown = await rows.count();
        await adminPage.page.getByTestId('shops-more').click({ timeout: UI_TIMEOUT });
        await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(shown);
      }
      await row.getByTestId('shop-reason').fill('Counterfeit complaints under review');
      await row.getByTestId('suspend').click();
      await card.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await screenshot(adminPage.page, 'admin-shop-suspended');

      await row.getByTestId('shop-reason').fill('Cleared after review');
      await row.getByTestId('reinstate').click();
      await expect
        .poll(
          async () => (await new ApiClient(app.url).get(`/api/products?shop=${shopId}`)).body.items.length,
          {
            timeout: UI_TIMEOUT,
          },
        )
        .toBe(1);
      await watcher.page.reload();
      await card.waitFor({ timeout: UI_TIMEOUT });

      // A takedown: the seller centre says why.
      await logIn(adminPage.page, app.url, admin.email, admin.password, '/admin/catalog');
      await adminPage.page.getByTestId('catalog-query').fill(item.productId);
      await adminPage.page.getByTestId('catalog-query').press('Enter');
      await adminPage.page.getByTestId('catalog-product').waitFor({ timeout: UI_TIMEOUT });
      await adminPage.page.getByTestId('takedown-reason').fill('Shows a competitor’s trademark');
      await adminPage.page.getByTestId('take-down').click();
      await adminPage.page.getByTestId('catalog-notice').waitFor({ timeout: UI_TIMEOUT });
      await card.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await screenshot(adminPage.page, 'admin-catalog-takedown');

      const sellerPage = await openPage(browser, app.url);
      try {
        await logIn(sellerPage.page, app.url, seller.email, seller.password, '/seller');
        const reason = sellerPage.page.getByTestId('takedown-reason');
        await reason.waitFor({ timeout: UI_TIMEOUT });
        expect(await reason.textContent()).toContain('Shows a competitor’s trademark');
        await screenshot(sellerPage.page, 'seller-takedown-reason');
      } finally {
        await sellerPage.context.close();
      }

      await adminPage.page.goto(`${app.url}/admin/audit`);
      await adminPage.page.getByTestId('audit-table').waitFor({ timeout: UI_TIMEOUT });
      const actions = await adminPage.page
        .getByTestId('audit-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(actions.slice(0, 3)).toEqual(['product.taken_down', 'shop.reinstated', 'shop.suspended']);
      await screenshot(adminPage.page, 'admin-audit-log');
      expect(watcher.errors).toEqual([]);
    } finally {
      await watcher.context.close();
      await adminPage.context.close();
    }
  });

  it('shows people search and a person page; an admin opening /seller gets a clear page', async () => {
    const { page, context, errors } = await openPage(browser, app.url);
    try {
      await logIn(page, app.url, admin.email, admin.password, '/admin/people');
      await page.getByTestId('people-query').fill('console');
      await page.getByTestId('people-search').click();
      const row = page.locator(`[data-testid="person-row"][data-user-id="${admin.user.id}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      await row.locator('a').click();
      await page.getByTestId('person-page').waitFor({ timeout: UI_TIMEOUT });
      // An admin cannot take away their own admin role.
      expect(await page.getByTestId('role-admin').isDisabled()).toBe(true);
      await screenshot(page, 'admin-person-page');
      await page.goto(`${app.url}/seller`);
      await page.getByTestId('not-a-seller').waitFor({ timeout: UI_TIMEOUT });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
