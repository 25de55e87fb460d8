import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { registerSeller, uniqueName } from '../support/accounts';
import { ApiClient } from '../support/client';

/** Browser journeys against the real marketplace: live stock, sign-up and log-in, seller CSV import. */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 12 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function anyCategory(api: ApiClient): Promise<{ id: string; slug: string }> {
  const res = await api.get('/api/categories');
  expect(res.status).toBe(200);
  const category = res.body.items.find((c) => c.parentId !== null) ?? res.body.items[0];
  if (!category) throw new Error('the test app has no categories');
  return category;
}

async function badgeText(page: Page): Promise<string> {
  return (await page.getByTestId('stock-badge').textContent())?.trim() ?? '';
}

describe('product page', () => {
  it('shows a stock change made by the seller without a reload', async () => {
    const api = await registerSeller(app, { name: 'Stock Seller', shopName: uniqueName('Live Shop') });
    const category = await anyCategory(api);
    const created = await api.post('/api/products', {
      name: 'Live Stock Kettle',
      nameZh: '实时库存水壶',
      description: 'A kettle whose stock changes while you look at it.',
      categoryId: category.id,
      variants: [
        {
          sku: uniqueName('KETTLE'),
          title: 'Steel',
          price: 19_900,
          stock: 42,
          attributes: { color: 'Steel' },
        },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const productId = created.body.id;

    const { page, context, errors } = await openPage(browser, `${app.url}/p/${productId}`);
    try {
      const badge = page.getByTestId('stock-badge');
      await badge.waitFor({ timeout: UI_TIMEOUT });
      expect(await badgeText(page)).toBe('In stock (42)');
      await expect.poll(() => page.getByTestId('product-name').textContent()).toBe('Live Stock Kettle');
      // Only change stock once the server has confirmed the subscription, or the message could be missed.
      await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      const sku = await badge.getAttribute('data-sku');

      const low = await api.put(`/api/products/${productId}/variants/${sku}/stock`, {
        available: 3,
      });
      expect(low.status, JSON.stringify(low.body)).toBe(200);
      await expect.poll(() => badgeText(page), { timeout: UI_TIMEOUT }).toBe('Only 3 left');

      const none = await api.put(`/api/products/${productId}/variants/${sku}/stock`, { available: 0 });
      expect(none.status).toBe(200);
      await expect.poll(() => badgeText(page), { timeout: UI_TIMEOUT }).toBe('Out of stock');

      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await screenshot(page, 'product-live-stock');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('accounts', () => {
  it('registers and logs in through the forms', async () => {
    const email = `${uniqueName('shopper')}@example.test`;
    const password = 'a long enough password';
    const { page, context, errors } = await openPage(browser, `${app.url}/register`);
    try {
      await page.getByTestId('register-form').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('register-name').fill('Mei Lin');
      await page.getByTestId('register-email').fill(email);
      await page.getByTestId('register-password').fill('short');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('field-error-password').waitFor({ timeout: UI_TIMEOUT });

      await page.getByTestId('register-password').fill(password);
      await page.getByTestId('register-submit').click();
      await expect
        .poll(() => page.getByTestId('account-name').textContent(), { timeout: UI_TIMEOUT })
        .toBe('Mei Lin');
      // The client-side navigation that follows registering finishes on its own time (it may load a chunk).
      await page.waitForURL((url) => url.pathname === '/', { timeout: UI_TIMEOUT });

      await page.getByTestId('account-button').click();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-link').waitFor({ timeout: UI_TIMEOUT });

      await page.getByTestId('login-link').click();
      await page.getByTestId('login-form').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill('not my password');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('form-error').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'login-wrong-password');

      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await expect
        .poll(() => page.getByTestId('account-name').textContent(), { timeout: UI_TIMEOUT })
        .toBe('Mei Lin');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('seller centre', () => {
  it('imports a CSV with live progress and lists the row that failed', async () => {
    const api = new ApiClient(app.url);
    const category = await anyCategory(api);
    const template = await api.get('/api/seller/imports/template.csv');
    expect(template.status).toBe(200);
    const csv = importCsv(String(template.body), category.slug);

    const { page, context, errors } = await openPage(browser, `${app.url}/register`);
    try {
      await page.getByTestId('register-form').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('role-seller').check({ force: true });
      await page.getByTestId('register-name').fill('Import Seller');
      await page.getByTestId('register-shop-name').fill(uniqueName('Import Shop'));
      await page.getByTestId('register-email').fill(`${uniqueName('importer')}@example.test`);
      await page.getByTestId('register-password').fill('a long enough password');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('seller-centre').waitFor({ timeout: UI_TIMEOUT });

      await page.getByTestId('tab-import').click();
      await page.getByTestId('import-file').setInputFiles({
        name: 'products.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv.text),
      });
      await page.getByTestId('import-upload').click();
      await page.getByTestId('import-progress').waitFor({ timeout: UI_TIMEOUT });
      await page
        .locator('[data-testid="import-progress"][data-status="completed"]')
        .waitFor({ timeout: 30_000 });

      const summary = await page.getByTestId('import-summary').textContent();
      expect(summary).toContain(`${csv.goodRows} imported, 1 with errors`);
      const errorRow = page.locator(`[data-testid="import-error-row"][data-line="${csv.badLine}"]`);
      await errorRow.waitFor({ timeout: UI_TIMEOUT });
      expect(await errorRow.textContent()).toContain('price');
      // The same errors as a file, downloaded as the seller's browser would.
      const download = page.waitForEvent('download');
      await page.getByTestId('import-errors-csv').click();
      const report = await readFile((await (await download).path())!, 'utf8');
      expect(report.split('\r\n')[0]).toBe('line,column,error');
      expect(report).toContain(`\r\n${csv.badLine},price,`);
      await screenshot(page, 'seller-import-done');

      // The imported product shows up in the table, and its stock can be edited inline.
      await page.getByTestId('tab-products').click();
      const editor = page.locator(`[data-testid="stock-editor"][data-sku="${csv.goodSku}"]`);
      await editor.waitFor({ timeout: UI_TIMEOUT });
      await editor.getByTestId('stock-input').fill('7');
      await editor.getByTestId('stock-save').click();
      await editor.getByTestId('stock-saved').waitFor({ timeout: UI_TIMEOUT });
      expect(await editor.getByTestId('stock-value').getAttribute('data-available')).toBe('7');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/**
 * A CSV in the server's own template format: the template's first example row made unique (good), plus
 * a copy with an unreadable price (bad), whose error must be reported by its line number.
 */
function importCsv(template: string, categorySlug: string) {
  const [headerLine = '', exampleLine = ''] = template.trim().split(/\r?\n/);
  const header = headerLine.split(',').map((h) => h.trim().toLowerCase());
  // The template's example row has no quoted commas; keep it that way if it changes.
  const example = exampleLine.split(',');
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index === -1) throw new Error(`template has no "${name}" column: ${headerLine}`);
    return index;
  };
  const goodSku = uniqueName('IMP-GOOD').toUpperCase();
  const good = [...example];
  good[column('sku')] = goodSku;
  good[column('category')] = categorySlug;
  if (header.includes('handle')) good[column('handle')] = uniqueName('imp-good');
  const bad = [...good];
  bad[column('sku')] = uniqueName('IMP-BAD').toUpperCase();
  bad[column('price')] = 'twelve';
  if (header.includes('handle')) bad[column('handle')] = uniqueName('imp-bad');
  return {
    text: [headerLine, good.join(','), bad.join(',')].join('\n') + '\n',
    goodSku,
    goodRows: 1,
    /** Line 1 is the header. */
    badLine: 3,
  };
}
