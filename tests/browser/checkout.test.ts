import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWorker, type JobWorker } from '@market/core/jobs';
import { createLogger } from '@market/core/logger';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory, registerUser, stockedProduct } from '../support/commerce';

/**
 * The shopper's journey from two shops' product pages to paid orders: add to cart, check out with courier
 * delivery, pay on the sandbox provider's page, and watch the orders turn paid live on the result page.
 */

/** The password `registerUser` gives every account it creates. */

let app: TestApp;
let browser: Browser;
let worker: JobWorker | undefined;

beforeAll(async () => {
  assertUiBuilt();
  // No job worker in the app: the test starts one when it wants the payment webhook delivered, so the
  // result page is seen waiting first and the change to "paid" can only arrive over the socket.
  [app, browser] = await Promise.all([
    startTestApp({ products: 12, env: { RUN_WORKERS: 'false' } }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await worker?.stop();
  await browser?.close();
  await app?.close();
});

function startJobWorker(): void {
  worker = createJobWorker(
    {
      queue: app.core.queue,
      connection: app.database.connection,
      log: createLogger('warn', 'test-worker'),
      handlers: app.core.jobHandlers,
    },
    { pollIntervalMs: 100 },
  );
  worker.start();
}

const statusesOf = (page: Page) =>
  page
    .locator('[data-testid="result-order"] [data-testid="order-status"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));

async function addToCart(page: Page, expectedCount: number): Promise<void> {
  await page.getByTestId('add-to-cart-button').click();
  await page.getByTestId('added-to-cart').waitFor({ timeout: UI_TIMEOUT });
  await expect
    .poll(() => page.getByTestId('cart-link').getAttribute('data-count'), { timeout: UI_TIMEOUT })
    .toBe(String(expectedCount));
}

describe('checkout', () => {
  it('buys from two shops, pays on the sandbox page and sees both orders paid without a reload', async () => {
    const [sellerA, sellerB, shopper] = await Promise.all([
      registerUser(app, 'seller'),
      registerUser(app, 'seller'),
      registerUser(app.url),
    ]);
    const categoryId = await leafCategory(sellerA);
    const [kettle, teapot] = await Promise.all([
      stockedProduct(sellerA, { price: 12_900, stock: 5, categoryId }),
      stockedProduct(sellerB, { price: 4_500, stock: 8, categoryId }),
    ]);

    const { page, context, errors } = await openPage(browser, `${app.url}/login?next=/p/${kettle.productId}`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, `/p/${kettle.productId}`, UI_TIMEOUT);

      await page.getByTestId('add-to-cart').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('product-sku').textContent()).toBe(kettle.sku);
      await addToCart(page, 1);
      await screenshot(page, 'checkout-1-product-added');

      await page.goto(`${app.url}/p/${teapot.productId}`);
      await page.getByTestId('add-to-cart').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('add-qty-plus').click();
      await addToCart(page, 3);

      await page.getByTestId('cart-link').click();
      await page.getByTestId('cart-line').first().waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('cart-group').count()).toBe(2);
      expect(await page.getByTestId('cart-total').textContent()).toBe('¥219.00');
      await screenshot(page, 'checkout-2-cart');

      await page.getByTestId('cart-checkout').click();
      await page.getByTestId('quote').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('quote-shop').count()).toBe(2);
      await page.getByTestId('address-name').fill('Li Lei');
      await page.getByTestId('address-phone').fill('+86 138 0000 0000');
      await page.getByTestId('address-line1').fill('88 Century Ave');
      await page.getByTestId('address-district').fill('Pudong');
      await page.getByTestId('address-city').fill('Shanghai');
      await page.getByTestId('address-province').fill('Shanghai');
      await page.getByTestId('address-postcode').fill('200120');
      // ¥219 of items, plus ¥8 courier fee for the second shop, whose ¥90 is under the ¥99 free-shipping line.
      await expect.poll(() => page.getByTestId('quote-total').textContent()).toBe('¥227.00');
      await screenshot(page, 'checkout-3-checkout');

      await page.getByTestId('place-order').click();
      await page.getByTestId('pay-amount').waitFor({ timeout: UI_TIMEOUT });
      expect(new URL(page.url()).pathname).toMatch(/^\/pay\/sandbox\/[\w-]+$/);
      expect(await page.getByTestId('pay-amount').textContent()).toBe('¥227.00');
      await screenshot(page, 'checkout-4-sandbox-pay');

      await page.getByTestId('pay-submit').click();
      await page.waitForURL(/\/checkout\/ck_[\w-]+/, { timeout: UI_TIMEOUT });
      await page.getByTestId('waiting-indicator').waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => statusesOf(page)).toEqual(['pending_payment', 'pending_payment']);
      // From here on the page must change by itself: a reload or navigation would drop this marker.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      const landedAt = page.url();
      await screenshot(page, 'checkout-5-waiting-for-payment');

      startJobWorker(); // delivers the provider's webhook, which marks both orders paid
      await expect.poll(() => statusesOf(page), { timeout: UI_TIMEOUT }).toEqual(['paid', 'paid']);
      await page
        .locator('[data-testid="payment-status"][data-status="succeeded"]')
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('waiting-indicator').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      expect(page.url()).toBe(landedAt);
      await screenshot(page, 'checkout-6-paid');

      await page.getByTestId('cart-link').waitFor();
      expect(await page.getByTestId('cart-link').getAttribute('data-count')).toBe('0');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
