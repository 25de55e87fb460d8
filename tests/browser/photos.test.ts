import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlays, productPhoto } from '@market/vision/synthetic';
import { createProduct } from '../photos-helpers';
import { createStaff, registerSeller, type SignedIn } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';

/**
 * Photo journeys in Chromium: a seller drops photos on the product's photo page, watches them upload and
 * their verdicts arrive over the socket; support reviews the one the checks could not decide.
 */

/** A check runs sharp and four ONNX models on two shared cores. */
const CHECK_TIMEOUT = 180_000;

let app: TestApp;
let browser: Browser;
let seller: SignedIn;
let productId: string;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await app.core.categories.createMany([
    { id: 'cat_browser_photos', slug: 'browser-photos', name: 'Home', nameZh: '家居', parentId: null },
  ]);
  seller = await registerSeller(app, { name: 'photo-seller' });
  productId = await createProduct(seller, 'cat_browser_photos', 'Amber mug');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Drops a file on an element the way a browser does: a `drop` event whose DataTransfer holds the file. */
async function dropFile(page: Page, testId: string, name: string, content: Buffer) {
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], name, { type: 'image/jpeg' }));
      return data;
    },
    { name, base64: content.toString('base64') },
  );
  await page.getByTestId(testId).dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId(testId).dispatchEvent('drop', { dataTransfer: transfer });
}

describe('seller photo upload', () => {
  it('uploads by drag and drop and by file picker, shows progress, and gets each verdict live', async () => {
    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      const next = `/seller/products/${productId}/photos`;
      await logIn(page, app.url, seller.email, seller.password, next);
      await page.waitForURL((url) => url.pathname === next, { timeout: UI_TIMEOUT });
      await page.getByTestId('photo-manager').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="photos-live"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });

      // The page asks for one photo by id only when the socket said it was checked (polls read the list).
      const livePhotoReads: string[] = [];
      page.on('request', (request) => {
        const match = /\/api\/seller\/photos\/([\w-]+)$/.exec(new URL(request.url()).pathname);
        if (match && request.method() === 'GET') livePhotoReads.push(match[1]!);
      });

      // Progress: hold the upload's answer back for a moment, so the bar is on screen for the assertion.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/seller/products/*/photos', async (route) => {
        if (route.request().method() === 'POST') await held;
        await route.continue();
      });
      await dropFile(page, 'photo-drop', 'banner.jpg', await productPhoto(900, overlays.phoneBanner(900)));
      const tile = page.getByTestId('photo-upload');
      await tile.waitFor({ timeout: UI_TIMEOUT });
      expect(await tile.getAttribute('data-file')).toBe('banner.jpg');
      await expect.poll(() => page.getByTestId('photo-upload-progress').count()).toBe(1);
      release();
      // The first photo a product gets is its main image: let the dropped one land before the next.
      const cards = page.getByTestId('photo-card');
      await expect.poll(() => cards.count(), { timeout: UI_TIMEOUT }).toBe(1);

      await page.getByTestId('photo-file').setInputFiles({
        name: 'clean.jpg',
        mimeType: 'image/jpeg',
        buffer: await productPhoto(900),
      });

      await expect.poll(() => cards.count(), { timeout: UI_TIMEOUT }).toBe(2);
      await expect(page.getByTestId('photo-upload').count()).resolves.toBe(0);
      await page.unrouteAll({ behavior: 'wait' });

      const banner = page.locator('[data-testid="photo-card"][data-status="reject"]');
      await banner.waitFor({ timeout: CHECK_TIMEOUT });
      await banner.locator('[data-testid="photo-reason"][data-code="contact"]').waitFor();
      expect(await banner.getByTestId('photo-reasons').textContent()).toMatch(
        /Contact details on the photo: phone/,
      );
      expect(await banner.getByTestId('photo-public').getAttribute('data-public')).toBe('false');
      expect(await banner.getByTestId('photo-main').count()).toBe(1);

      const clean = page.locator('[data-testid="photo-card"][data-status="pass"]');
      await clean.waitFor({ timeout: CHECK_TIMEOUT });
      expect(await clean.getByTestId('photo-public').getAttribute('data-public')).toBe('true');
      const ids = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-photo-id')!));
      expect(ids.every((id) => livePhotoReads.includes(id))).toBe(true);
      await screenshot(page, 'photos-seller-verdicts');

      // The clean photo becomes the main image, and the rejected one goes.
      await clean.getByTestId('photo-make-main').click();
      await clean.getByTestId('photo-main').waitFor({ timeout: UI_TIMEOUT });
      page.once('dialog', (dialog) => void dialog.accept());
      await banner.getByTestId('photo-delete').click();
      await expect.poll(() => cards.count(), { timeout: UI_TIMEOUT }).toBe(1);

      // Shoppers now see the photo on the product page instead of the artwork.
      const shopper = await openPage(browser, `${app.url}/p/${productId}`);
      try {
        const img = shopper.page.locator('img.product-image.photo').first();
        await img.waitFor({ timeout: UI_TIMEOUT });
        expect(await img.getAttribute('src')).toMatch(
          /^\/media\/photos\/pho_[\w-]+\/[0-9a-f]{64}-v1\/large$/,
        );
        await expect
          .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth))
          .toBeGreaterThan(0);
      } finally {
        await shopper.context.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 400_000);
});

describe('support photo review', () => {
  it('shows the queued photo with its text boxes and measurements, and approves it', async () => {
    const watermarked = await productPhoto(900, overlays.faintWatermark(900));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(watermarked)], { type: 'image/jpeg' }), 'watermark.jpg');
    const upload = await fetch(`${app.url}/api/seller/products/${productId}/photos`, {
      method: 'POST',
      headers: { cookie: seller.cookieHeader(), 'x-csrf-token': seller.csrfToken },
      body: form,
    });
    const photoId = ((await upload.json()) as { id: string }).id;

    const support = await createStaff(app, 'support', { name: 'Sue' });
    const { page, context, errors } = await openPage(browser, `${app.url}/`);
    try {
      await logIn(page, app.url, support.email, support.password, '/support/photos');
      await page.waitForURL((url) => url.pathname === '/support/photos', { timeout: UI_TIMEOUT });
      await page.getByTestId('photo-review').waitFor({ timeout: UI_TIMEOUT });
      // It arrives over the support socket once its check finishes.
      const item = page.locator(`[data-testid="photo-review-item"][data-photo-id="${photoId}"]`);
      await item.waitFor({ timeout: CHECK_TIMEOUT });
      await expect.poll(() => item.getByTestId('text-box').count()).toBeGreaterThan(0);
      await item.locator('[data-testid="photo-reason"][data-code="text_coverage"]').waitFor();
      expect(await item.getByTestId('photo-metrics').textContent()).toMatch(/Sharpness/);
      expect(await item.getByTestId('photo-texts').textContent()).toMatch(/BEST|SHOP/);
      await screenshot(page, 'photos-support-review');

      await item.getByTestId('photo-approve').click();
      await item.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      const after = (await seller.get(`/api/seller/photos/${photoId}`)).body;
      expect(after).toMatchObject({ public: true, review: { decision: 'approved' } });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 400_000);
});
