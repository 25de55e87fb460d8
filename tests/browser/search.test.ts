import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoProduct } from '@market/demo';
import { startTestApp, type TestApp } from '../support/app';
import {
  assertUiBuilt,
  launchBrowser,
  openPage,
  screenshot,
  type ViewportName,
  UI_TIMEOUT,
} from '../support/browser';
import { ApiClient } from '../support/client';

/** The search journey: a misspelled query, a suggestion, a facet, and live stock on a result card. */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 300 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/**
 * A product whose name starts with its brand and has a long plain word among its first three, and those
 * three words with the middle letters of that word swapped ("Nescafé Dark-Roast Ground" → "… Gruond").
 */
function misspelledQuery(): { product: DemoProduct; query: string } {
  const products = app.catalog?.products ?? [];
  for (const product of products) {
    if (!product.brand || !product.name.startsWith(`${product.brand} `)) continue;
    const words = product.name.split(/\s+/).slice(0, 3);
    const index = words.findIndex((w, i) => i > 0 && /^[A-Za-z]{6,}$/.test(w));
    if (index < 0) continue;
    const word = words[index]!;
    const mid = Math.floor(word.length / 2);
    const typo = word.slice(0, mid - 1) + word[mid] + word[mid - 1] + word.slice(mid + 1);
    if (typo === word) continue;
    words[index] = typo;
    return { product, query: words.join(' ') };
  }
  throw new Error('the demo catalog has no product with a word long enough to misspell');
}

async function resultBrands(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="search-result"] [data-testid="product-card-brand"]')
    .allTextContents()
    .then((all) => all.map((t) => t.trim()));
}

async function searchTotal(page: Page): Promise<number> {
  return Number(await page.getByTestId('search-count').getAttribute('data-total'));
}

describe.each<ViewportName>(['desktop', 'phone'])('search on %s', (viewport) => {
  it('finds a misspelled product, filters by a facet and shows live stock on a result card', async () => {
    const { product, query } = misspelledQuery();
    const { page, context, errors } = await openPage(browser, `${app.url}/`, { viewport });
    try {
      // 1. Type a misspelled query; suggestions arrive as you type, and one is picked.
      const input = page.getByTestId('search-input');
      await input.waitFor({ timeout: UI_TIMEOUT });
      await input.pressSequentially(query, { delay: 20 });
      const suggestions = page.getByTestId('search-suggestion');
      await suggestions.first().waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, `search-suggestions-${viewport}`);
      // Pick the first suggestion with the keyboard. A query suggestion opens its results; a product
      // suggestion opens the product, and the shopper then searches for what they typed.
      const first = suggestions.first();
      const suggestedProduct = await first.getAttribute('data-product-id');
      await input.press('ArrowDown');
      await expect.poll(() => first.getAttribute('aria-selected')).toBe('true');
      await input.press('Enter');
      if (suggestedProduct) {
        await page.getByTestId('product-name').waitFor({ timeout: UI_TIMEOUT });
        // The suggestion knows the id; the page lands on the product's handle URL.
        const product = await fetch(`${app.url}/api/products/${suggestedProduct}`);
        const { urlHandle } = (await product.json()) as { urlHandle: string };
        await expect
          .poll(() => new URL(page.url()).pathname, { timeout: UI_TIMEOUT })
          .toBe(`/p/${urlHandle}`);
        await input.fill(query);
        await input.press('Enter');
      }
      await page.getByTestId('search-results').waitFor({ timeout: UI_TIMEOUT });
      expect(new URL(page.url()).pathname).toBe('/search');
      const found = await page
        .locator('[data-testid="search-result"]')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-product-id')));
      expect(found.length).toBeGreaterThan(0);

      // 2. Tick the brand facet of the product we looked for; every result is then of that brand.
      if (viewport === 'phone') await page.getByTestId('filters-button').click();
      const before = await searchTotal(page);
      const option = page.locator(
        `[data-testid="facet-option"][data-facet="brand"][data-value="${product.brand.replace(/"/g, '\\"')}"]`,
      );
      await option.check({ timeout: UI_TIMEOUT });
      await expect
        .poll(() => new URL(page.url()).searchParams.get('brand'), { timeout: UI_TIMEOUT })
        .toBe(product.brand);
      await page.locator('[data-testid="search-page"] [aria-busy="false"]').waitFor({ timeout: UI_TIMEOUT });
      if (viewport === 'phone') {
        await screenshot(page, `search-filters-${viewport}`);
        await page.getByRole('button', { name: /Show \d+ results/ }).click();
      }
      const brands = await resultBrands(page);
      expect(brands.length).toBeGreaterThan(0);
      expect(new Set(brands)).toEqual(new Set([product.brand]));
      expect(await searchTotal(page)).toBeLessThanOrEqual(before);
      await expect.poll(() => option.isChecked()).toBe(true);

      // The URL carries the filters: a reload shows the same filtered page.
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.getByTestId('search-results').waitFor({ timeout: UI_TIMEOUT });
      expect(new Set(await resultBrands(page))).toEqual(new Set([product.brand]));

      // 3. The seller changes the stock of the first result; its card follows without a reload.
      const card = page.getByTestId('search-result').first();
      const productId = await card.getAttribute('data-product-id');
      const shown = app.catalog!.products.find((p) => p.id === productId);
      if (!shown) throw new Error(`result ${productId} is not a demo product`);
      const seller = app.catalog!.sellers.find((s) => s.id === shown.sellerId)!;
      await page
        .locator(`[data-testid="search-result"][data-product-id="${productId}"][data-live="true"]`)
        .waitFor({
          timeout: UI_TIMEOUT,
        });
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

      const api = new ApiClient(app.url);
      await api.login(seller.email, app.password);
      for (const [i, variant] of shown.variants.entries()) {
        const res = await api.put(
          `/api/products/${productId}/variants/${encodeURIComponent(variant.sku)}/stock`,
          {
            available: i === 0 ? 3 : 0,
          },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const badge = card.getByTestId('card-stock-badge');
      await expect
        .poll(async () => (await badge.textContent())?.trim(), { timeout: UI_TIMEOUT })
        .toBe('Only 3 left');
      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      await screenshot(page, `search-results-${viewport}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('search results page', () => {
  it('shows an empty state for a query that matches nothing, and keeps the query in the box', async () => {
    const { page, context, errors } = await openPage(
      browser,
      `${app.url}/search?q=${encodeURIComponent('zqxw vbnm')}`,
    );
    try {
      await page.getByTestId('empty-state').waitFor({ timeout: UI_TIMEOUT });
      expect(await searchTotal(page)).toBe(0);
      expect(await page.getByTestId('search-input').inputValue()).toBe('zqxw vbnm');
      // The message takes the page's width, not the empty filters column's.
      const pageBox = (await page.getByTestId('search-page').boundingBox())!;
      const emptyBox = (await page.getByTestId('empty-state').boundingBox())!;
      expect(emptyBox.width).toBeGreaterThan(pageBox.width * 0.6);
      expect(Math.abs(emptyBox.x + emptyBox.width / 2 - (pageBox.x + pageBox.width / 2))).toBeLessThan(40);
      await screenshot(page, 'search-zero-results');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offers "did you mean" when nothing matches and says which words it read for a corrected typo', async () => {
    const brand = typoBrand();
    const api = new ApiClient(app.url);
    // A word too garbled for typo tolerance: nothing found, and the correction is offered.
    const garbled = await api.get(`/api/search?q=${encodeURIComponent(brand.garbled)}`);
    expect(garbled.status).toBe(200);
    expect(garbled.body.total).toBe(0);
    expect(garbled.body.didYouMean).toBe(brand.word);
    const { page, context, errors } = await openPage(
      browser,
      `${app.url}/search?q=${encodeURIComponent(brand.garbled)}`,
    );
    try {
      const didYouMean = page.getByTestId('did-you-mean');
      await didYouMean.waitFor({ timeout: UI_TIMEOUT });
      expect(await didYouMean.textContent()).toContain(brand.word);
      await didYouMean.click();
      await page.getByTestId('search-results').waitFor({ timeout: UI_TIMEOUT });
      expect(new URL(page.url()).searchParams.get('q')).toBe(brand.word);

      // One letter dropped: typo tolerance finds the brand, and the page says what it searched for.
      await page.goto(`${app.url}/search?q=${encodeURIComponent(brand.typo)}`);
      const corrected = page.getByTestId('corrected-query');
      await corrected.waitFor({ timeout: UI_TIMEOUT });
      expect((await corrected.textContent())?.trim()).toBe(brand.word);
      expect(new Set(await resultBrands(page))).toContain(brand.name);
      await screenshot(page, 'search-corrected');
      // Typed right: no correction line.
      await page.goto(`${app.url}/search?q=${encodeURIComponent(brand.word)}`);
      await page.getByTestId('search-results').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('search-corrected').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('suggests query completions above products while typing', async () => {
    const brand = typoBrand();
    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      const input = page.getByTestId('search-input');
      await input.waitFor({ timeout: UI_TIMEOUT });
      const typed = brand.word.slice(0, 4);
      await input.pressSequentially(typed, { delay: 20 });
      await page.getByTestId('search-suggestion').first().waitFor({ timeout: UI_TIMEOUT });
      const kinds = await page
        .getByTestId('search-suggestion')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
      expect(kinds).toContain('query');
      expect(kinds).toContain('product');
      // Every query comes before every product, and each group has its heading.
      expect(kinds.lastIndexOf('query')).toBeLessThan(kinds.indexOf('product'));
      expect(await page.getByTestId('search-suggestion-group').count()).toBe(2);
      const queries = await page
        .locator('[data-testid="search-suggestion"][data-kind="query"]')
        .allTextContents();
      expect(queries.some((q) => q.trim().toLowerCase().startsWith(typed))).toBe(true);
      await screenshot(page, 'search-completions');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('header', () => {
  it.each([
    [360, 'en-US'],
    [360, 'zh-CN'],
    [768, 'en-US'],
    [768, 'zh-CN'],
    [1280, 'en-US'],
    [1280, 'zh-CN'],
  ])(
    'shows the search placeholder and the tagline whole or not at all at %i px (%s)',
    async (width, locale) => {
      const { page, context, errors } = await openPage(browser, `${app.url}/`, { locale });
      try {
        await page.setViewportSize({ width, height: 800 });
        const input = page.getByTestId('search-input');
        await input.waitFor({ timeout: UI_TIMEOUT });
        await expect
          .poll(
            () =>
              input.evaluate((field: HTMLInputElement) => {
                const style = getComputedStyle(field);
                const context2d = document.createElement('canvas').getContext('2d')!;
                context2d.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const room =
                  field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return field.placeholder.length > 0 && context2d.measureText(field.placeholder).width <= room;
              }),
            { timeout: UI_TIMEOUT },
          )
          .toBe(true);
        // At least the short placeholder fits; at 1280 px the whole one does.
        if (width >= 1280) {
          expect(await input.getAttribute('placeholder')).toMatch(locale === 'en-US' ? /brands/ : /品牌/);
        }
        const tagline = page.getByTestId('header-tagline');
        const shown = await tagline.evaluate(
          (el) => getComputedStyle(el).visibility === 'visible' && (el as HTMLElement).offsetWidth > 0,
        );
        if (shown) expect(await tagline.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        await screenshot(page, `header-${width}-${locale}`);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});

/**
 * A one-word brand of the demo catalog of six or seven letters (one typo allowed in search, two in a
 * correction), with its folded word, a one-letter typo (a middle letter dropped: typo tolerance finds
 * it) and a garbled form two edits away (letters two and three swapped, the one before last dropped:
 * only "did you mean" finds it).
 */
function typoBrand(): { name: string; word: string; typo: string; garbled: string } {
  const counts = new Map<string, number>();
  for (const p of app.catalog?.products ?? []) counts.set(p.brand, (counts.get(p.brand) ?? 0) + 1);
  const brands = [...counts]
    .filter(([name]) => /^[A-Za-z]{6,7}$/.test(name))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const [name] = brands[0] ?? [];
  if (!name) throw new Error('the demo catalog has no one-word brand of six or seven letters');
  const word = name.toLowerCase();
  const mid = Math.floor(word.length / 2);
  const typo = word.slice(0, mid) + word.slice(mid + 1);
  const swapped = word[0]! + word[2]! + word[1]! + word.slice(3);
  const garbled = swapped.slice(0, -2) + swapped.slice(-1);
  return { name, word, typo, garbled };
}
