import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, screenshot } from '../support/browser';
import { checkout, registerUser } from '../support/commerce';

/**
 * The storefront under its Content-Security-Policy in a real Chromium: every page a shopper sees renders
 * with no violation (no inline script or style, no eval), the register form's strength meter loads its
 * dictionaries, and the API docs work under the same policy.
 */

const UI_TIMEOUT = 20_000;
const PASSWORD = 'long enough password';

let app: TestApp;
let browser: Browser;

interface Watched {
  context: BrowserContext;
  page: Page;
  /** CSP violations reported by the page (`securitypolicyviolation`) and console errors. */
  problems: () => Promise<string[]>;
}

/** A fresh context whose pages record every CSP violation from the first byte. */
async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  // Added through the DevTools protocol, so the policy does not apply to this script itself.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      consoleErrors.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    problems: async () => [
      ...consoleErrors,
      ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])),
    ],
  };
}

async function visit(page: Page, url: string, ready: string): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
  // The page really is under the policy: otherwise "no violations" would prove nothing.
  expect(response!.headers()['content-security-policy'], url).toMatch(/script-src 'self'/);
  await page.locator(ready).first().waitFor({ timeout: UI_TIMEOUT });
}

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 12 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('Content-Security-Policy in the browser', () => {
  it('renders the shop, a product, search and the register form (with its meter) without a violation', async () => {
    const { context, page, problems } = await watchedPage();
    try {
      await visit(page, app.url, '[data-testid="product-card-link"]');
      const product = app.catalog!.products[0]!;
      await visit(page, `${app.url}/p/${product.id}`, '[data-testid="stock-badge"]');
      await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      await visit(page, `${app.url}/search?q=phone`, '[data-testid="search-page"]');

      await visit(page, `${app.url}/register`, '[data-testid="register-form"]');
      await page.getByTestId('register-email').fill('mei.lin@example.test');
      await page.getByTestId('register-password').fill('password1234');
      const meter = page.getByTestId('password-strength');
      await expect.poll(() => meter.getAttribute('data-ok'), { timeout: UI_TIMEOUT }).toBe('false');
      await expect.poll(() => meter.getAttribute('data-score'), { timeout: UI_TIMEOUT }).toMatch(/^[0-2]$/);
      expect(await page.getByTestId('password-problem').textContent()).toMatch(/commonly used password/);
      await page.getByTestId('register-password').fill('correct horse battery staple');
      await expect.poll(() => meter.getAttribute('data-ok'), { timeout: UI_TIMEOUT }).toBe('true');
      await screenshot(page, 'register-strength-meter');

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the server's verdict under the password field when the server refuses it", async () => {
    const { context, page, problems } = await watchedPage();
    try {
      await visit(page, `${app.url}/register`, '[data-testid="register-form"]');
      await page.getByTestId('register-name').fill('Mei Lin');
      await page.getByTestId('register-email').fill(`mei-${Date.now()}@example.test`);
      await page.getByTestId('register-password').fill('iloveyou2026');
      await page.getByTestId('register-submit').click();
      const error = page.getByTestId('field-error-password');
      await error.waitFor({ timeout: UI_TIMEOUT });
      expect(await error.textContent()).toMatch(/commonly used password/);
      // Only the expected 422 shows in the console ("Failed to load resource" is filtered out).
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders checkout and an order page for a signed-in shopper without a violation', async () => {
    const buyer = await registerUser(app.url);
    const sku = app.catalog!.products[1]!.variants[0]!.sku;
    expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const placed = await checkout(buyer);
    expect(placed.status).toBe(201);
    expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);

    const { context, page, problems } = await watchedPage();
    try {
      await logIn(page, app.url, buyer.user.email, PASSWORD, '/checkout');
      await page.getByTestId('quote').waitFor({ timeout: UI_TIMEOUT });
      await visit(page, `${app.url}/orders/${placed.body.orders[0]!.id}`, '[data-testid="order-number"]');
      await screenshot(page, 'csp-order-page');
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('runs the API docs (Swagger UI) under the same policy, an operation opened', async () => {
    const { context, page, problems } = await watchedPage();
    try {
      await visit(page, `${app.url}/api/docs`, '.swagger-ui .opblock');
      // Swagger UI keeps only the operations near the viewport in the DOM once the document is large
      // (180+ operations): a screenful of them shows the document rendered.
      await expect
        .poll(() => page.locator('.swagger-ui .opblock').count(), { timeout: UI_TIMEOUT })
        .toBeGreaterThan(5);
      // Opening an operation renders its schemas and highlighted examples (the style-heavy part).
      await page.locator('.swagger-ui .opblock-summary').first().click();
      await page.locator('.swagger-ui .opblock-body').first().waitFor({ timeout: UI_TIMEOUT });
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
