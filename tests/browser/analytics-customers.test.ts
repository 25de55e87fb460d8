import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';
import { waitFor } from '../support/process';

/**
 * The Customers tab of the seller's analytics in a real browser: segments (chart and table), affinities
 * and the cohort grid render with no console errors, in both languages; "Create coupon for this segment"
 * opens the coupon form aimed at the segment, and the coupon is created with that audience.
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

describe('analytics customers tab', () => {
  it('shows segments, affinities and cohorts, and makes a coupon for a segment', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, {
      price: 6_600,
      stock: 20,
      categoryId: await leafCategory(seller),
    });
    for (let i = 0; i < 2; i++) {
      const shopper = await registerUser(app.url, 'shopper');
      expect((await shopper.post('/api/cart/lines', { sku, qty: 1 + i })).status).toBe(200);
      const res = await checkout(shopper);
      expect(res.status).toBe(201);
      await pay(shopper, res.body);
    }
    // Two first-time buyers today: both "new" once their payments reach the rollups.
    await waitFor(async () => {
      const report = (await seller.get('/api/seller/analytics/segments')).body;
      return report.segments.find((s: { segment: string }) => s.segment === 'new')?.customers === 2;
    }, 30_000);

    const { page, errors, context } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, seller.email, seller.password, '/seller/analytics');
      await page.getByTestId('analytics-seller').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('analytics-tab-customers').click();
      await page
        .locator('[data-testid="segment-new"][data-customers="2"]')
        .first()
        .waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="segments-chart"] canvas').first().waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('affinity-new').waitFor({ timeout: UI_TIMEOUT });
      const grid = page.getByTestId('cohort-grid');
      await grid.waitFor({ timeout: UI_TIMEOUT });
      // This month's cohort: two customers, both bought in month 0 (the number is shown, not only a shade).
      expect(await grid.locator('tbody tr').last().textContent()).toContain('100.0%');
      expect(await page.getByTestId('segment-export-new').getAttribute('href')).toBe(
        '/api/seller/analytics/segments/new/export',
      );
      await screenshot(page, 'analytics-customers-1-en');
      // The table view of the chart.
      await page.locator('[data-testid="segments-chart"] button[aria-pressed]').click();
      await page.locator('[data-testid="segments-chart"] table').waitFor({ timeout: UI_TIMEOUT });
      // The shopper's language choice, as the language switch saves it (the server renders in it).
      await context.addCookies([{ name: 'bazaar.lang', value: 'zh', url: app.url }]);
      await page.reload();
      await page.getByTestId('customers-tab').waitFor({ timeout: UI_TIMEOUT });
      await page
        .locator('[data-testid="segment-new"]', { hasText: '新顾客' })
        .first()
        .waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'analytics-customers-2-zh');

      await page.getByTestId('segment-coupon-new').click();
      await page.getByTestId('coupon-form').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('coupon-audience').inputValue()).toBe('new');
      await page.getByTestId('coupon-code').fill('WELCOMEBACK');
      await page.getByTestId('coupon-value').fill('10');
      await page.getByTestId('coupon-submit').click();
      await page.getByTestId('coupon-audience-badge').first().waitFor({ timeout: UI_TIMEOUT });
      const coupons = (await seller.get('/api/coupons')).body.items;
      expect(coupons.find((c: { code: string }) => c.code === 'WELCOMEBACK')?.audience).toEqual({
        segment: 'new',
      });
      await screenshot(page, 'analytics-customers-3-coupon');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
