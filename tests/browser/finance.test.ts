import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { createStaff, staffAccount } from '../support/accounts';
import { createTestClock } from '../support/clock';
import { leafCategory, pay, registerUser, stockedProduct } from '../support/commerce';
import { checkoutWith, deliverAndComplete } from '../support/money';

/**
 * The money pages in a real browser: the admin adds a commission rate and previews it; a seller's
 * completed order shows its commission and net; after the after-sales window the seller sees the money
 * available, saves a payout account and withdraws, and the payout turns paid live; the admin's finance
 * page reconciles the day. No console errors on any page.
 */

const clock = createTestClock();
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([
    startTestApp({ products: 8, clock: clock.now, env: { PAYOUT_SANDBOX_DELAY_MS: '300' } }),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('finance pages', () => {
  it('commission rates, the seller finance page with a withdrawal, the admin overview', async () => {
    const admin = await createStaff(app, 'admin');
    const adminApi = await staffAccount(app, 'admin');
    const category = await leafCategory(adminApi);

    const adminTab = await openPage(browser, `${app.url}/`);
    await logIn(adminTab.page, app.url, admin.email, admin.password, '/admin/commission');
    const page = adminTab.page;
    await page.getByTestId('commission-page').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('commission-new').click();
    await page.getByTestId('commission-scope').selectOption('category');
    await page.getByTestId('commission-target-category').selectOption(category);
    await page.getByTestId('commission-percent').fill('4');
    await page.getByTestId('commission-save').click();
    await page
      .locator('[data-testid="commission-rules"] tr[data-scope="category"]')
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('commission-preview-category').selectOption(category);
    await page.getByTestId('commission-preview-amount').fill('100');
    await page.getByTestId('commission-preview-run').click();
    await expect
      .poll(() => page.getByTestId('commission-preview-result').textContent(), { timeout: UI_TIMEOUT })
      .toContain('¥4.00');
    await screenshot(page, 'finance-1-admin-commission');

    // A seller's order of ¥200 in that category, completed.
    const seller = await registerUser(app, 'seller');
    const buyer = await registerUser(app.url);
    const { sku } = await stockedProduct(seller, { price: 20_000, stock: 5, categoryId: category });
    expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const placed = await checkoutWith(buyer);
    await pay(buyer, placed);
    const orderId = placed.orders[0]!.id;
    await deliverAndComplete(seller, buyer, orderId);

    const sellerTab = await openPage(browser, `${app.url}/`);
    const sp = sellerTab.page;
    await logIn(sp, app.url, seller.email, seller.password, `/orders/${orderId}`);
    await sp.getByTestId('order-earnings').waitFor({ timeout: UI_TIMEOUT });
    expect(await sp.getByTestId('order-commission').textContent()).toContain('¥8.00');
    await screenshot(sp, 'finance-2-seller-order-commission');

    // The after-sales window closes: the money is available.
    clock.advance(app.config.afterSales.windowMs + 60_000);
    await app.core.settlement.releaseDue();
    await sp.goto(`${app.url}/seller/finance`);
    await sp.getByTestId('seller-finance').waitFor({ timeout: UI_TIMEOUT });
    await sp.getByTestId('finance-entries').waitFor({ timeout: UI_TIMEOUT });
    expect(await sp.getByTestId('finance-available').textContent()).toContain('¥192.00');
    await sp.locator('[data-testid="finance-account-form"] select').selectOption('alipay');
    await sp.locator('[data-testid="finance-account-form"] input').nth(0).fill('Li Lei');
    await sp.locator('[data-testid="finance-account-form"] input').nth(1).fill('13800000000');
    await sp.locator('[data-testid="finance-account-form"] button[type="submit"]').click();
    await sp.getByTestId('finance-account').waitFor({ timeout: UI_TIMEOUT });
    expect(await sp.getByTestId('finance-account').textContent()).toContain('138****0000');
    await sp.getByTestId('finance-withdraw').click();
    await sp
      .locator('[data-testid="finance-payouts"] tr[data-status="paid"]')
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await sp.getByTestId('finance-available').textContent()).toContain('¥0.00');
    await screenshot(sp, 'finance-3-seller-finance');

    await page.goto(`${app.url}/admin/finance`);
    await page.getByTestId('admin-finance').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('reconcile-today').click();
    await page
      .locator('[data-testid="reconciliations"] tr[data-status]')
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('[data-testid="reconciliations"] tr[data-status="failed"]').count()).toBe(0);
    await screenshot(page, 'finance-4-admin-finance');

    expect(adminTab.errors).toEqual([]);
    expect(sellerTab.errors).toEqual([]);
  }, 300_000);
});
