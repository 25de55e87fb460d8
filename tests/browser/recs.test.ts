import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { registerUser } from '../support/commerce';

/**
 * Recommendations in the storefront: a visitor browses products, and the home page grows a "for you"
 * strip and a "because you viewed …" strip; product pages show what is viewed and bought together; a
 * shopper sees their profile with its reasons and resets it.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([
    startTestApp({ products: 40, env: { RECS_HOT_CACHE_SECONDS: '0', RECS_TAIL_SECONDS: '0.5' } }),
    launchBrowser(),
  ]);
  await app.recs.ready();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('recommendations in the storefront', () => {
  it('shows "for you" on the home page once a visitor has browsed products', async () => {
    const { page, context, errors } = await openPage(browser, app.url);
    try {
      await page.getByTestId('catalog-page').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('home-recs').waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      expect(await page.getByTestId('recs-for-you').count()).toBe(0);

      // Browse two products of the grid: product pages report the view as they open.
      for (const index of [0, 1]) {
        await page.getByTestId('product-grid').getByTestId('product-card-link').nth(index).click();
        await page.getByTestId('product-name').waitFor({ timeout: UI_TIMEOUT });
        await page.getByTestId('recs-similar').waitFor({ timeout: UI_TIMEOUT });
        await page.goBack();
        await page.getByTestId('product-grid').waitFor({ timeout: UI_TIMEOUT });
      }
      await page.reload();
      const forYou = page.getByTestId('recs-for-you');
      await forYou.waitFor({ timeout: UI_TIMEOUT });
      expect(await forYou.getByTestId('rec-card').count()).toBeGreaterThan(0);
      expect(await forYou.getByTestId('rec-reason').first().textContent()).toBeTruthy();
      await page.getByTestId('recs-because').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('recs-hot').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('recs-hot-live').count()).toBe(1);
      await screenshot(page, 'recs-home-for-you');

      await page.getByTestId('recs-for-you').getByTestId('product-card-link').first().click();
      await page.getByTestId('recs-similar').getByTestId('rec-card').first().waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'recs-product-page');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets a shopper see why, and reset their profile with a confirmation', async () => {
    const shopper = await registerUser(app.url);
    const { page, context, errors } = await openPage(browser, `${app.url}/login?next=/`);
    try {
      await logIn(page, app.url, shopper.email, shopper.password, '/', UI_TIMEOUT);
      await page.getByTestId('catalog-page').waitFor({ timeout: UI_TIMEOUT });
      for (const index of [2, 3, 4]) {
        await page.getByTestId('product-grid').getByTestId('product-card-link').nth(index).click();
        await page.getByTestId('recs-similar').waitFor({ timeout: UI_TIMEOUT });
        await page.goBack();
        await page.getByTestId('product-grid').waitFor({ timeout: UI_TIMEOUT });
      }
      await page.getByTestId('account-button').click();
      await page.getByTestId('my-profile-link').click();
      await page.getByTestId('profile-recently-viewed').waitFor({ timeout: UI_TIMEOUT });
      await expect
        .poll(() => page.getByTestId('profile-viewed-card').count(), { timeout: UI_TIMEOUT })
        .toBe(3);
      expect(await page.getByTestId('profile-categories').locator('li').count()).toBeGreaterThan(0);
      await screenshot(page, 'recs-profile');

      await page.getByTestId('profile-reset').click();
      await page.getByTestId('profile-reset-dialog').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'recs-profile-reset-dialog');
      await page.getByTestId('profile-reset-confirm').click();
      await page.getByTestId('profile-reset-done').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('empty-state').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('profile-viewed-card').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
