import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory, registerUser, stockedProduct } from '../support/commerce';
import { scaled } from '../support/time';

/**
 * The flash-sale page from the shopper's side. The server's clock runs an hour ahead of the machine's (and
 * so of the browser's): a page that counted down on the browser's clock would show the sale an hour away
 * and never open it, so the button opening when the sale starts shows the page follows the server.
 */
const SERVER_AHEAD_MS = 60 * 60 * 1000;
const serverNow = () => Date.now() + SERVER_AHEAD_MS;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([
    startTestApp({ products: 2, clock: () => new Date(serverNow()) }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('flash sales page', () => {
  it('counts down on the server clock, opens the button at zero without a reload, and a win checks out at the sale price', async () => {
    const [seller, shopper, rival] = await Promise.all([
      registerUser(app, 'seller'),
      registerUser(app.url),
      registerUser(app.url),
    ]);
    const item = await stockedProduct(seller, {
      name: 'Flash kettle',
      price: 5_000,
      stock: 10,
      categoryId: await leafCategory(seller),
    });
    await shopper.post('/api/me/addresses', {
      name: '韩梅梅',
      phone: '13900139000',
      province: '上海市',
      city: '上海市',
      district: '静安区',
      line1: '南京西路 1699 号',
      postcode: '200040',
    });
    const startsAt = serverNow() + scaled(15_000);
    const created = await seller.post('/api/seller/flash-sales', {
      sku: item.sku,
      salePrice: 1_990,
      quantity: 3,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 30 * 60_000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const saleId = created.body.id;

    // Before it starts, the home page's strip says one is coming and leads to the sales.
    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      const soon = page.getByTestId('flash-strip');
      await soon.waitFor({ timeout: UI_TIMEOUT });
      expect(await soon.textContent()).toContain('starting soon');
      await soon.click();
      await page.waitForURL(/\/flash$/, { timeout: UI_TIMEOUT });
      const card = page.locator(`[data-testid="flash-sale"][data-sale-id="${saleId}"]`);
      const buy = card.getByTestId('flash-buy');
      await card.getByTestId('flash-countdown').waitFor({ timeout: UI_TIMEOUT });
      // Still before the start: a countdown of seconds (not an hour) and a closed button, read together.
      const before = await card.evaluate((el) => ({
        state: el.getAttribute('data-state'),
        countdown: el.querySelector('[data-testid="flash-countdown"]')?.textContent?.trim(),
        disabled: el.querySelector<HTMLButtonElement>('[data-testid="flash-buy"]')?.disabled,
      }));
      expect(before.state).toBe('upcoming');
      expect(before.disabled).toBe(true);
      expect(before.countdown).toMatch(/^00:00:\d\d$/);
      expect(Number(before.countdown!.slice(-2))).toBeGreaterThan(0);
      expect(await card.getByTestId('flash-name').textContent()).toContain('Flash kettle');
      expect(await card.getByTestId('flash-price').textContent()).toBe('¥19.90');
      expect(await card.getByTestId('flash-normal-price').textContent()).toContain('¥50.00');
      expect(await card.getByTestId('flash-remaining').textContent()).toBe('3 left');
      await screenshot(page, 'flash-1-countdown');

      // The button opens on its own when the countdown reaches zero, on the server's time.
      await expect.poll(() => buy.isEnabled(), { timeout: scaled(60_000), interval: 50 }).toBe(true);
      const openedAt = serverNow();
      expect(openedAt).toBeGreaterThanOrEqual(startsAt - 500);
      expect(openedAt).toBeLessThan(startsAt + scaled(3_000));
      expect(await card.getAttribute('data-state')).toBe('live');
      expect(await card.getByTestId('flash-countdown').textContent()).toMatch(/00:(29|30):\d\d/);

      // Another shopper wins a unit: the count moves on this page over Socket.IO.
      expect((await rival.post(`/api/flash-sales/${saleId}/claim`, {})).body.status).toBe('won');
      await expect
        .poll(() => card.getByTestId('flash-remaining').textContent(), { timeout: UI_TIMEOUT })
        .toBe('2 left');

      // A guest pressing it signs in first and comes back to the sales.
      await buy.click();
      await page.waitForURL(/\/login\?next=%2Fflash$/, { timeout: UI_TIMEOUT });
      await page.getByTestId('login-email').fill(shopper.email);
      await page.getByTestId('login-password').fill(shopper.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/flash$/, { timeout: UI_TIMEOUT });
      await buy.waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => buy.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      await buy.click();

      // Won: the checkout is that claim alone, at the sale price, not the (empty) cart.
      await page.waitForURL(/\/checkout\?flashSale=/, { timeout: UI_TIMEOUT });
      await page.getByTestId('flash-checkout').waitFor({ timeout: UI_TIMEOUT });
      const shop = page.getByTestId('quote-shop');
      await shop.waitFor({ timeout: UI_TIMEOUT });
      expect(await shop.textContent()).toContain('¥19.90');
      expect(await shop.textContent()).not.toContain('¥50.00');
      await screenshot(page, 'flash-2-checkout');
      await page.getByTestId('place-order').click();
      await page.getByTestId('pay-amount').waitFor({ timeout: UI_TIMEOUT });
      const orders = (await shopper.get('/api/orders')).body.items;
      expect(orders).toHaveLength(1);
      const order = (await shopper.get(`/api/orders/${orders[0]!.id}`)).body;
      expect(order.lines).toEqual([
        expect.objectContaining({ sku: item.sku, qty: 1, unitPrice: 1_990, flashSaleId: saleId }),
      ]);

      // Pressing again says so, in the page's language.
      await page.goto(`${app.url}/flash`);
      await expect.poll(() => buy.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      await buy.click();
      await expect
        .poll(() => card.getByTestId('flash-notice').textContent(), { timeout: UI_TIMEOUT })
        .toContain('already claimed');
      await screenshot(page, 'flash-3-already-claimed');

      // The home page points at the live sale (read in the browser, after the server render).
      await page.goto(`${app.url}/`);
      const strip = page.getByTestId('flash-strip');
      await strip.waitFor({ timeout: UI_TIMEOUT });
      expect(await strip.textContent()).toContain('Flash sales live now (1)');
      await screenshot(page, 'flash-4-home-strip');
      await strip.click();
      await page.waitForURL(/\/flash$/, { timeout: UI_TIMEOUT });
      await card.waitFor({ timeout: UI_TIMEOUT });

      // The product's own page shows the live sale: its price, the time left on the server's clock, the
      // units still to win, and the way to the sale.
      await page.goto(`${app.url}/p/${item.productId}`);
      const offer = page.getByTestId('flash-offer');
      await offer.waitFor({ timeout: UI_TIMEOUT });
      expect(await offer.getAttribute('data-state')).toBe('live');
      expect(await offer.getByTestId('flash-offer-price').textContent()).toBe('¥19.90');
      await expect
        .poll(() => offer.getByTestId('flash-offer-countdown').textContent(), { timeout: UI_TIMEOUT })
        .toMatch(/^00:(2\d|30):\d\d$/);
      expect(await offer.getByTestId('flash-offer-remaining').textContent()).toBe('1 left');
      await screenshot(page, 'flash-4b-product-page');
      await offer.getByTestId('flash-offer-link').click();
      await page.waitForURL(/\/flash$/, { timeout: UI_TIMEOUT });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('product cards (home, category, search) show a live sale’s price and a countdown on the server clock, and drop it when the sale ends', async () => {
    const seller = await registerUser(app, 'seller');
    const categoryId = await leafCategory(seller);
    const item = await stockedProduct(seller, { name: 'Card kettle', price: 6_000, stock: 10, categoryId });
    const created = await seller.post('/api/seller/flash-sales', {
      sku: item.sku,
      salePrice: 2_990,
      quantity: 4,
      startsAt: new Date(serverNow() - 1_000).toISOString(),
      endsAt: new Date(serverNow() + 20 * 60_000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The API's cards carry it (one cached read of the open sales per page, not a query per card).
    const listed = (await seller.get(`/api/products?category=${categoryId}&limit=50`)).body.items;
    expect(listed.find((c: { id: string }) => c.id === item.productId)?.flash).toMatchObject({
      saleId: created.body.id,
      salePrice: 2_990,
      normalPrice: 6_000,
    });

    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    const card = page.locator(`[data-testid="product-card"][data-product-id="${item.productId}"]`);
    const expectFlashCard = async (selector = card) => {
      await selector.getByTestId('product-card-flash').waitFor({ timeout: UI_TIMEOUT });
      expect(await selector.getByTestId('product-card-flash-price').textContent()).toBe('¥29.90');
      expect(await selector.getByTestId('product-card-price').textContent()).toContain('¥60.00');
      // Twenty minutes by the server's clock, which runs an hour ahead of the browser's.
      await expect
        .poll(() => selector.getByTestId('product-card-flash-countdown').textContent(), {
          timeout: UI_TIMEOUT,
        })
        .toMatch(/^00:(19|20):\d\d$/);
      const first = await selector.getByTestId('product-card-flash-countdown').textContent();
      await expect
        .poll(() => selector.getByTestId('product-card-flash-countdown').textContent(), {
          timeout: UI_TIMEOUT,
        })
        .not.toBe(first);
    };
    try {
      await expectFlashCard();
      await screenshot(page, 'flash-7-home-card');

      await page.goto(`${app.url}/c/${categoryId}`);
      await expectFlashCard();
      await screenshot(page, 'flash-8-category-card');

      // Search results: the index follows the product's events, so ask until it is found.
      const result = page.locator(`[data-testid="search-result"][data-product-id="${item.productId}"]`);
      await expect
        .poll(
          async () => {
            await page.goto(`${app.url}/search?q=${encodeURIComponent('Card kettle')}`);
            return result.count();
          },
          { timeout: UI_TIMEOUT },
        )
        .toBe(1);
      await expectFlashCard(result);
      await screenshot(page, 'flash-9-search-card');

      // Ended: the next page shows the normal price, no countdown.
      expect((await seller.post(`/api/seller/flash-sales/${created.body.id}/cancel`)).status).toBe(200);
      await page.goto(`${app.url}/c/${categoryId}`);
      await card.waitFor({ timeout: UI_TIMEOUT });
      expect(await card.getByTestId('product-card-flash').count()).toBe(0);
      expect(await card.getByTestId('product-card-price').textContent()).toContain('¥60.00');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a seller schedules a sale from the seller centre, sees it listed, and ends it early (its units back in stock)', async () => {
    const seller = await registerUser(app, 'seller');
    const item = await stockedProduct(seller, {
      name: 'Managed teapot',
      price: 8_800,
      stock: 12,
      categoryId: await leafCategory(seller),
    });
    const available = async () =>
      (await seller.get(`/api/products/${item.productId}`)).body.variants[0]!.available as number;

    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      page.on('dialog', (dialog) => void dialog.accept());
      await logIn(page, app.url, seller.email, seller.password, '/seller');
      await page.getByTestId('seller-flash-link').click();
      await page.waitForURL(/\/seller\/flash-sales$/, { timeout: UI_TIMEOUT });
      await page.getByTestId('flash-sale-new').click();
      const form = page.getByTestId('flash-sale-form');
      await form.waitFor({ timeout: UI_TIMEOUT });
      await form.getByTestId('flash-sku').selectOption(item.sku);
      // The browser's datetime-local inputs hold its local time; the server runs an hour ahead of it.
      const [starts, ends] = await page.evaluate(() => {
        const local = (ms: number) => {
          const d = new Date(ms);
          const pad = (n: number) => String(n).padStart(2, '0');
          return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
        };
        return [local(Date.now() + 3 * 3_600_000), local(Date.now() + 5 * 3_600_000)];
      });
      await form.getByTestId('flash-starts').fill(starts);
      await form.getByTestId('flash-ends').fill(ends);
      await form.getByTestId('flash-quantity').fill('5');

      // A price at or above the normal price is refused beside the field, before anything is sent.
      await form.getByTestId('flash-price').fill('88');
      await form.getByTestId('flash-submit').click();
      await expect
        .poll(() => form.textContent(), { timeout: UI_TIMEOUT })
        .toContain('Must be below the normal price (¥88.00)');
      expect((await seller.get('/api/seller/flash-sales')).body.items).toEqual([]);

      await form.getByTestId('flash-price').fill('59.90');
      await form.getByTestId('flash-submit').click();
      await page.getByTestId('flash-sale-created').waitFor({ timeout: UI_TIMEOUT });
      const row = page.locator(`[data-testid="flash-sale-row"][data-sku="${item.sku}"]`);
      expect(await row.textContent()).toContain('Managed teapot');
      expect(await row.textContent()).toContain('¥59.90');
      expect(await row.getByTestId('flash-sale-phase').textContent()).toContain('Scheduled');
      const [sale] = (await seller.get('/api/seller/flash-sales')).body.items;
      expect(sale!).toMatchObject({ sku: item.sku, salePrice: 5_990, quantity: 5, perPersonLimit: 1 });
      expect(Date.parse(sale!.endsAt) - Date.parse(sale!.startsAt)).toBe(2 * 3_600_000);
      // The sale's units left normal stock when it was made.
      expect(await available()).toBe(7);
      await screenshot(page, 'flash-5-seller-scheduled');

      await row.getByTestId('flash-sale-cancel').click();
      await expect
        .poll(() => row.getByTestId('flash-sale-phase').textContent(), { timeout: UI_TIMEOUT })
        .toContain('Ended early');
      expect(await row.getByTestId('flash-sale-cancel').count()).toBe(0);
      expect(await available()).toBe(12);
      await screenshot(page, 'flash-6-seller-ended');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
