import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sidewaysPhotoWithGps } from '@market/vision/synthetic';
import { startTestApp, type TestApp } from '../support/app';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { ApiClient } from '../support/client';
import { registerUser } from '../support/accounts';
import { waitFor } from '../support/process';

/**
 * The account settings page, one person's whole journey in a real Chromium: a new name, a profile photo
 * (a refused file first), a login phone by SMS code, email verification, a new password that signs the
 * other session out, the data export as a downloaded JSON file, and closing the account.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const NEW_PASSWORD = 'paper lanterns over the river 2026';

describe('account settings', () => {
  it('edits the name, sets a photo and a phone, changes the password, exports the data and closes the account', async () => {
    const person = await registerUser(app.url);
    // Two other devices signed in (registration's own session, and a second login): the password change
    // must end both and keep the browser's.
    const otherDevice = new ApiClient(app.url);
    await otherDevice.login(person.email, person.password);
    expect((await otherDevice.get('/api/auth/session')).body.user?.id).toBe(person.user.id);

    const { page, context, errors } = await openPage(browser, `${app.url}/login`);
    try {
      await logIn(page, app.url, person.email, person.password, '/account/settings', UI_TIMEOUT);
      await page.getByTestId('settings-page').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('settings-name').waitFor({ timeout: UI_TIMEOUT });

      // Name.
      await page.getByTestId('settings-name').fill('Mei Lin');
      await page.getByTestId('save-name').click();
      await page.getByTestId('name-saved').waitFor({ timeout: UI_TIMEOUT });
      await expect
        .poll(() => page.getByTestId('account-name').textContent(), { timeout: UI_TIMEOUT })
        .toBe('Mei Lin');

      // Photo: a text file is refused next to the field; a real photo is cropped square and shown.
      await page.getByTestId('avatar-file').setInputFiles({
        name: 'notes.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('not a picture at all\n'.repeat(30)),
      });
      await page.getByTestId('avatar-error').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('avatar-error').textContent()).toMatch(/JPEG, PNG, WebP or AVIF/);
      await page.getByTestId('avatar-file').setInputFiles({
        name: 'me.jpg',
        mimeType: 'image/jpeg',
        buffer: await sidewaysPhotoWithGps(1200, 900),
      });
      await page.getByTestId('photo-saved').waitFor({ timeout: UI_TIMEOUT });
      const avatar = page.getByTestId('settings-avatar');
      await expect
        .poll(() => avatar.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), {
          timeout: UI_TIMEOUT,
        })
        .toEqual([256, 256]);
      await expect
        .poll(
          () => page.getByTestId('account-avatar').evaluate((img: HTMLImageElement) => img.naturalWidth),
          {
            timeout: UI_TIMEOUT,
          },
        )
        .toBe(64);

      // Login phone with a code from the sandbox SMS provider.
      const phone = `+86137${String(Date.now() % 1e8).padStart(8, '0')}`;
      await page.getByTestId('settings-phone-input').fill(phone);
      await page.getByTestId('send-phone-code').click();
      await page.getByTestId('phone-code-sent').waitFor({ timeout: UI_TIMEOUT });
      const text = await waitFor(
        async () =>
          (await new ApiClient(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`)).body.items[0]
            ?.text,
        30_000,
        'the verification text',
      );
      await page.getByTestId('settings-phone-code').fill(/(\d{6})/.exec(text)![1]!);
      await page.getByTestId('confirm-phone').click();
      await page.getByTestId('phone-saved').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('phone-current').textContent()).toContain(phone);

      // Email verification mail.
      await page.getByTestId('send-verification').click();
      await page.getByTestId('verification-sent').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'account-settings-1-profile');

      // Password: the page says other sessions end, and they do.
      expect(await page.getByTestId('password-sessions-note').textContent()).toMatch(/every other device/);
      await page.getByTestId('current-password').fill(person.password);
      await page.getByTestId('new-password').fill(NEW_PASSWORD);
      await page.getByTestId('change-password').click();
      await page.getByTestId('password-changed').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('password-changed').textContent()).toContain('2 other sessions');
      expect((await otherDevice.get('/api/auth/session')).body.user).toBeNull();
      expect((await person.get('/api/auth/session')).body.user).toBeNull();

      // Export: a JSON file with what was just set.
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: UI_TIMEOUT }),
        page.getByTestId('export-data').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`bazaar-account-${person.user.id}.json`);
      const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
        profile: { name: string; phone: string; email: string };
      };
      expect(exported.profile).toMatchObject({ name: 'Mei Lin', phone, email: person.email });
      await page.getByTestId('export-done').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'account-settings-2-password-export');

      // Close: the typed email must match, then the password; the page says goodbye and signs out.
      await page.getByTestId('close-account').click();
      const dialog = page.getByTestId('close-account-dialog');
      await dialog.waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('close-email').fill('someone.else@example.com');
      await page.getByTestId('close-password').fill(NEW_PASSWORD);
      await page.getByTestId('confirm-close-account').click();
      await expect
        .poll(() => dialog.textContent(), { timeout: UI_TIMEOUT })
        .toContain('That is not your email');
      await page.getByTestId('close-email').fill(person.email);
      await screenshot(page, 'account-settings-3-close-dialog');
      await page.getByTestId('confirm-close-account').click();
      await page.getByTestId('account-closed').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('login-link').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'account-settings-4-closed');
      expect(
        (
          await new ApiClient(app.url).post('/api/auth/login', {
            email: person.email,
            password: NEW_PASSWORD,
          })
        ).status,
      ).toBe(401);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
