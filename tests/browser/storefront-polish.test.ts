import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoProduct } from '@market/demo';
import { staffAccount, uniqueName } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { ApiClient } from '../support/client';
import { checkout, pay, registerUser } from '../support/commerce';
import { waitFor } from '../support/process';

/**
 * The shopper-facing polish of issue 17: product pages in the page's language (options, tags, the
 * price box), the phone buy bar, option lists on cards, and the order page (no 404s before a delivery
 * exists, the live delivery above the fold, Chinese names and notes, the partial refund badge).
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 120 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const HAN = /\p{Script=Han}/u;
const BILINGUAL = /^[A-Za-z][A-Za-z ]*\s\p{Script=Han}+$/u;

/** A demo product whose variants differ only in a colour written in both languages ("Black 黑色"). */
function colourProduct(): DemoProduct {
  const found = app.catalog!.products.find(
    (p) =>
      p.variants.length >= 2 &&
      p.variants.every(
        (v) => Object.keys(v.attributes).join() === 'color' && BILINGUAL.test(v.attributes.color!),
      ),
  );
  if (!found) throw new Error('the demo catalog has no product with bilingual colour options only');
  return found;
}

async function texts(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).allTextContents()).map((t) => t.trim());
}

describe('product page', () => {
  it('speaks the page’s language: options, tags and name; the price once', async () => {
    const product = colourProduct();
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const { page, context, errors } = await openPage(browser, `${app.url}/p/${product.id}`, { locale });
      try {
        await page.getByTestId('product-name').waitFor({ timeout: UI_TIMEOUT });
        expect(await page.getByTestId('product-name-other').count()).toBe(0);
        const chips = await texts(page, 'variant-chip');
        expect(chips.length).toBe(new Set(product.variants.map((v) => v.attributes.color)).size);
        const tags = await texts(page, 'product-tag');
        expect(tags.length).toBeGreaterThan(0);
        // No slug is shown as written.
        expect(tags.filter((t) => /^[a-z]+(-[a-z]+)+$/.test(t))).toEqual([]);
        if (locale === 'en-US') {
          expect(chips.filter((c) => HAN.test(c))).toEqual([]);
          expect(tags.filter((t) => HAN.test(t))).toEqual([]);
          expect(await page.getByTestId('product-name').textContent()).toBe(product.name);
        } else {
          expect(chips.filter((c) => /[A-Za-z]/.test(c))).toEqual([]);
          expect(await page.getByTestId('product-name').textContent()).toBe(product.nameZh);
        }
        // The price box names the chosen option's price, and a range only as "other options from".
        const box = await page.locator('.price-box').textContent();
        const prices = box!.match(/¥[\d,.]+/g) ?? [];
        expect(new Set(prices).size).toBe(prices.length);
        await screenshot(page, `product-page-${locale}`);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('on a phone, buys from a bar at the bottom of the first screen', async () => {
    const product = colourProduct();
    const { page, context, errors } = await openPage(browser, `${app.url}/p/${product.id}`, {
      viewport: 'phone',
    });
    try {
      const bar = page.getByTestId('sticky-buy-bar');
      await bar.waitFor({ timeout: UI_TIMEOUT });
      const viewport = page.viewportSize()!;
      const box = (await bar.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 1);
      expect(box.y).toBeGreaterThan(viewport.height / 2);
      expect(await page.getByTestId('sticky-price').textContent()).toBe(
        await page.getByTestId('product-price').textContent(),
      );
      await page.getByTestId('sticky-add').click();
      await expect
        .poll(() => page.getByTestId('sticky-in-cart').textContent(), { timeout: UI_TIMEOUT })
        .toBe('1');
      // Still at the bottom after scrolling to the reviews.
      await page.mouse.wheel(0, 3000);
      const after = (await bar.boundingBox())!;
      expect(after.y + after.height).toBeLessThanOrEqual(viewport.height + 1);
      await screenshot(page, 'product-buy-bar-phone');
      await page.getByTestId('sticky-buy-now').click();
      await expect
        .poll(() => new URL(page.url()).pathname + new URL(page.url()).search, { timeout: UI_TIMEOUT })
        .toMatch(/^\/checkout$|^\/login\?next=(%2F|\/)checkout$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is hidden on wide screens, where the buy box sits beside the gallery', async () => {
    const { page, context } = await openPage(browser, `${app.url}/p/${colourProduct().id}`);
    try {
      await page.getByTestId('product-name').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('sticky-buy-bar').isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe('product cards', () => {
  it('list the options of a product with several, in the page’s language', async () => {
    const product = colourProduct();
    const { page, context, errors } = await openPage(browser, `${app.url}/c/${product.categoryId}`, {
      locale: 'zh-CN',
    });
    try {
      const card = page.locator(`[data-testid="product-card"][data-product-id="${product.id}"]`);
      await card.waitFor({ timeout: UI_TIMEOUT });
      const options = (await card.getByTestId('product-card-options').textContent())!;
      expect(options).not.toMatch(/[A-Za-z]{3,}/);
      expect(options).toMatch(HAN);
      expect(await card.getByTestId('product-card-shop').textContent()).toBeTruthy();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('order page', () => {
  it('asks for no missing delivery, shows the live one above the fold, and reads in Chinese', async () => {
    const product = colourProduct();
    const seller = app.catalog!.sellers.find((s) => s.id === product.sellerId)!;
    const shopper = await registerUser(app.url);
    expect((await shopper.post('/api/cart/lines', { sku: product.variants[0]!.sku, qty: 2 })).status).toBe(
      200,
    );
    const placed = await checkout(shopper);
    expect(placed.status).toBe(201);
    await pay(shopper, placed.body);
    const orderId = placed.body.orders[0]!.id;

    const { page, context, errors } = await openPage(browser, `${app.url}/`, { locale: 'zh-CN' });
    const missing: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400 && res.url().includes('/api/')) missing.push(`${res.status()} ${res.url()}`);
    });
    try {
      await logIn(page, app.url, shopper.email, shopper.password, `/orders/${orderId}`);
      await page.getByTestId('order-number').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('order-shop').textContent()).toBe(seller.shopNameZh);
      const notes = await page.locator('[data-testid="timeline-entry"] .note').allTextContents();
      expect(notes.map((n) => n.trim())).toContain('已通过支付宝付款');

      // The seller accepts: the delivery appears live at the top, without a 404 on the way.
      const sellerApi = new ApiClient(app.url);
      await sellerApi.login(seller.email, app.password);
      expect((await sellerApi.post(`/api/orders/${orderId}/accept`)).status).toBe(200);
      const tracker = page.getByTestId('order-delivery-tracker');
      await tracker.waitFor({ timeout: UI_TIMEOUT });
      const top = (await tracker.boundingBox())!.y;
      expect(top).toBeLessThan(page.viewportSize()!.height);
      await screenshot(page, 'order-page-accepted-zh');

      // Support refunds part of it: the badge says so, with the amount.
      const support = await staffAccount(app, 'support');
      const refund = await support.request('POST', `/api/orders/${orderId}/refunds`, {
        json: { amount: 1_000, reason: 'one arrived scratched' },
        headers: { 'idempotency-key': uniqueName('refund') },
      });
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      const badge = page.getByTestId('order-refund-state');
      await expect.poll(() => badge.getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('partial');
      expect(await badge.textContent()).toMatch(/部分退款\s*¥10\.00/);

      await waitFor(async () => (await shopper.get(`/api/orders/${orderId}`)).body.refunded === 1_000);
      expect(missing).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('seller centre without a shop', () => {
  it('shows a shopper how to open a shop, and an admin the back office: never a login form', async () => {
    const shopper = await registerUser(app.url);
    const admin = await staffAccount(app, 'admin');
    for (const [who, link] of [
      [shopper, 'open-a-shop'],
      [admin, null],
    ] as const) {
      const { page, context, errors } = await openPage(browser, app.url);
      try {
        await logIn(page, app.url, who.email, who.password, '/seller');
        await page.getByTestId('not-a-seller').waitFor({ timeout: UI_TIMEOUT });
        expect(await page.getByTestId('login-form').count()).toBe(0);
        expect(new URL(page.url()).pathname).toBe('/seller');
        if (link) expect(await page.getByTestId(link).getAttribute('href')).toBe('/register?role=seller');
        else expect(await page.locator('a[href="/admin/sellers"]').count()).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
