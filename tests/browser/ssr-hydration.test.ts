import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { registerSeller, uniqueName } from '../support/accounts';
import { assertUiBuilt, launchBrowser, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { leafCategory } from '../support/commerce';
import { en, zh, type MessageKey } from '@market/web/ui/i18n/messages';

/**
 * A server-rendered product page coming alive in a real Chromium: the HTML already has the product, and
 * once hydrated the live stock badge follows the seller and the cart takes the item, with no console
 * error and no Content-Security-Policy violation, in Chinese.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 4 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('hydration of a server-rendered product page', () => {
  it('keeps the live stock badge and the cart working, with no console error', async () => {
    const seller = await registerSeller(app, { shopName: uniqueName('Hydration Shop') });
    const sku = uniqueName('HYD').toUpperCase();
    const created = await seller.post('/api/products', {
      name: 'Hydrated Rice Cooker',
      nameZh: '水合电饭煲',
      description: 'Cooks rice; renders on the server.',
      categoryId: await leafCategory(seller),
      variants: [{ sku, title: 'White', price: 29_900, stock: 12 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const productId: string = created.body.id;

    const { page, context, errors } = await openPage(browser, `${app.url}/`, { locale: 'zh-CN' });
    try {
      await context.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __csp: string[] }).__csp = seen;
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`),
        );
      });
      const response = await page.goto(`${app.url}/p/${productId}`, { waitUntil: 'domcontentloaded' });
      // The server's HTML already shows the product, in the browser's language.
      const html = await response!.text();
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toMatch(/<h1 data-testid="product-name"[^>]*>水合电饭煲</);
      expect(html).toContain('¥299.00');

      // Hydrated: the socket confirmed the product's stock subscription.
      await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('product-name').textContent()).toBe('水合电饭煲');
      const badge = page.getByTestId('stock-badge');
      expect(await badge.getAttribute('data-available')).toBe('12');
      expect((await badge.textContent())?.trim()).toBe('有货（12）');
      const changed = await seller.put(`/api/products/${productId}/variants/${sku}/stock`, { available: 2 });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      await page.locator('[data-testid="stock-badge"][data-available="2"]').waitFor({ timeout: UI_TIMEOUT });
      expect((await badge.textContent())?.trim()).toBe('仅剩 2 件');

      await page.getByTestId('add-to-cart-button').click();
      await page.getByTestId('added-to-cart').waitFor({ timeout: UI_TIMEOUT });
      await expect
        .poll(() => page.getByTestId('cart-link').getAttribute('data-count'), { timeout: UI_TIMEOUT })
        .toBe('1');
      await screenshot(page, 'ssr-hydrated-product');

      expect(errors).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lands a client-side navigation to an id URL on the handle URL, in the same document', async () => {
    const seller = await registerSeller(app, { shopName: uniqueName('Routing Shop') });
    const categoryId = await leafCategory(seller);
    const create = async (name: string) => {
      const res = await seller.post('/api/products', {
        name,
        categoryId,
        variants: [{ sku: uniqueName('NAV').toUpperCase(), title: 'Standard', price: 9_900, stock: 3 }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as string, urlHandle: res.body.urlHandle! };
    };
    const [from, to] = [await create('Routing Start Wok'), await create('Client Routed Steamer')];

    // Opened by id: the browser follows the 301 and shows the handle URL.
    const { page, context, errors } = await openPage(browser, `${app.url}/p/${from.id}?lang=en`);
    try {
      expect(new URL(page.url()).pathname).toBe(`/p/${from.urlHandle}`);
      await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      // A link that only knows the id (as order lines do), followed by SvelteKit's client router.
      await page.evaluate((href) => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
        const link = Object.assign(document.createElement('a'), { href, id: 'by-id', textContent: 'go' });
        document.body.append(link);
      }, `/p/${to.id}?lang=en`);
      await page.locator('#by-id').click();
      await page.waitForURL((url) => url.pathname === `/p/${to.urlHandle}`, { timeout: UI_TIMEOUT });
      expect(new URL(page.url()).search).toBe('?lang=en');
      await expect
        .poll(() => page.getByTestId('product-name').textContent(), { timeout: UI_TIMEOUT })
        .toBe('Client Routed Steamer');
      expect(
        await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(
        `${app.url}/p/${to.urlHandle}?lang=en`,
      );
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** Message keys showing anywhere a visitor reads (text, labels, placeholders): a table that missed them. */
async function keysShown(page: Page): Promise<string[]> {
  const shown = await page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')].flatMap(
      (el) => ['aria-label', 'placeholder', 'title', 'alt'].map((name) => el.getAttribute(name) ?? ''),
    );
    return [document.body.innerText, document.title, ...attributes].join('\n');
  });
  return (Object.keys(en) as MessageKey[]).filter((key) =>
    new RegExp(`(^|[^\\w.])${key.replace(/\./g, '\\.')}($|[^\\w.])`).test(shown),
  );
}

describe('the messages a page loads', () => {
  it("are the page's language's storefront words only; other languages and pages load theirs on the way", async () => {
    const { page, context, errors } = await openPage(browser, `${app.url}/`, { locale: 'en-US' });
    try {
      const scripts: Promise<string>[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('.js')) scripts.push(response.text().catch(() => ''));
      });
      // Everything the page starts with, the hydration's message table included, has arrived.
      await page.reload({ waitUntil: 'networkidle' });
      const loaded = (await Promise.all(scripts)).join('\n');
      const has = (text: string) => loaded.includes(text);
      expect(has(en['brand.tagline'])).toBe(true);
      // No Chinese table, and nothing from the signed-in pages' messages (the login page's title).
      expect(has(zh['brand.tagline'])).toBe(false);
      expect(has(en['auth.loginTitle'])).toBe(false);
      expect(await keysShown(page)).toEqual([]);

      // Switching (once hydrated) fetches the Chinese table, then shows it everywhere at once.
      await expect
        .poll(
          async () => {
            await page.getByTestId('lang-zh').click();
            return page.evaluate(() => document.documentElement.lang);
          },
          { timeout: UI_TIMEOUT },
        )
        .toBe('zh-CN');
      await page.getByText(zh['brand.tagline']).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      expect(await page.getByText(en['brand.tagline']).count()).toBe(0);
      expect(await keysShown(page)).toEqual([]);

      // A browser-rendered page loads the rest of the catalogue, in the language now chosen, first.
      await page.getByTestId('login-link').click();
      await page.getByText(zh['auth.loginTitle']).first().waitFor({ timeout: UI_TIMEOUT });
      expect(await keysShown(page)).toEqual([]);
      await page.getByTestId('lang-en').click();
      await page.getByText(en['auth.loginTitle']).first().waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByText(zh['auth.loginTitle']).count()).toBe(0);
      expect(await keysShown(page)).toEqual([]);

      // Loaded directly, the same page, in the saved language.
      await page.goto(`${app.url}/login`, { waitUntil: 'load' });
      await page.getByText(en['auth.loginTitle']).first().waitFor({ timeout: UI_TIMEOUT });
      expect(await keysShown(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
