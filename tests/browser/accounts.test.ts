import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { ApiClient } from '../support/client';
import { registerUser } from '../support/accounts';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { waitFor } from '../support/process';

/**
 * Account journeys in Chromium: forgot password → the mail the embedded SMTP server received (read on
 * the dev mailbox page) → its link → a new password, while another browser signed in to the account is
 * signed out by the server; phone login with a sandbox SMS code; a price drop reaching the bell live.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  assertUiBuilt();
  [app, browser] = await Promise.all([startTestApp({ products: 2 }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const NEW_PASSWORD = 'violet kettle harbour 77';

describe('account journeys', () => {
  it('forgot password → mail → reset link → new password; the other signed-in browser is signed out', async () => {
    const person = await registerUser(app.url, 'shopper');
    const other = await openPage(browser, app.url);
    await logIn(other.page, app.url, person.email, person.password, '/notifications');
    await other.page.getByTestId('notification-bell').waitFor({ timeout: UI_TIMEOUT });

    const { page, errors } = await openPage(browser, `${app.url}/login`);
    await page.getByTestId('forgot-link').click();
    await page.getByTestId('forgot-email').fill(person.email);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('forgot-sent').waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'accounts-forgot-sent');

    // The mail really went through SMTP; the dev mailbox page shows it, and its link opens the reset page.
    await waitFor(async () => (await app.mailbox!.list({ to: person.email })).length > 0, 30_000, 'the mail');
    await page.goto(`${app.url}/dev/mailbox`);
    await page.getByTestId('dev-mail').first().click();
    await screenshot(page, 'accounts-dev-mailbox');
    await page.getByTestId('dev-mail-link').first().click();
    await page.getByTestId('reset-form').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('reset-password').fill(NEW_PASSWORD);
    await screenshot(page, 'accounts-reset-form');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor({ timeout: UI_TIMEOUT });

    // The other browser's socket was cut by the server; it reads its session and shows it signed out.
    await other.page.getByTestId('notification-bell').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await other.page.getByTestId('account-button').count()).toBe(0);

    await logIn(page, app.url, person.email, NEW_PASSWORD, '/');
    await page.getByTestId('account-button').waitFor({ timeout: UI_TIMEOUT });
    expect(errors).toEqual([]);
    await other.context.close();
    await page.context().close();
  });

  it('logs in with a phone number and a sandbox SMS code', async () => {
    const person = await registerUser(app.url, 'shopper');
    const phone = `+86137${String(Date.now()).slice(-8)}`;
    await person.post('/api/account/phone/code', { phone });
    const sms = async (count: number) =>
      waitFor(
        async () => {
          const items = (await new ApiClient(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`))
            .body.items;
          return items.length >= count && /(\d{6})/.exec(items[0]!.text)![1];
        },
        30_000,
        'a text',
      );
    expect((await person.post('/api/account/phone', { phone, code: await sms(1) })).status).toBe(200);

    const { page, errors } = await openPage(browser, `${app.url}/login`);
    await page.getByTestId('phone-login-link').click();
    await page.getByTestId('phone-number').fill(phone);
    await page.getByTestId('phone-send-code').click();
    await page.getByTestId('code-sent').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('phone-code').fill(await sms(2));
    await screenshot(page, 'accounts-phone-login');
    await page.getByTestId('phone-login-submit').click();
    await page.getByTestId('account-name').waitFor({ timeout: UI_TIMEOUT });
    expect((await page.getByTestId('account-name').textContent())?.trim()).toBe(
      (await person.get('/api/auth/session')).body.user!.name,
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a price drop of a favourite reaches the bell live and the mailbox', async () => {
    const person = await registerUser(app.url, 'shopper');
    const { page, errors } = await openPage(browser, app.url);
    await logIn(page, app.url, person.email, person.password, '/notifications');
    await page.getByTestId('notification-bell').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('notification-count').count()).toBe(0);

    const product = app.catalog!.products[0]!;
    // The favourites service publishes this when a favourited product's price falls.
    await app.bus.publish('favourite.price_dropped', {
      id: `price:${product.id}:2:${person.user.id}`,
      userId: person.user.id,
      productId: product.id,
      sku: product.variants[0]!.sku,
      oldPrice: 19_900,
      newPrice: 14_900,
      priceVersion: 2,
      at: new Date().toISOString(),
    });
    await page.getByTestId('notification-count').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('notification-count').textContent()).toBe('1');
    await page.getByTestId('notification-item').first().waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('notification-item').first().textContent()).toContain('¥149.00');
    await screenshot(page, 'accounts-notifications');
    const mail = await waitFor(
      async () => (await app.mailbox!.list({ to: person.email }))[0],
      30_000,
      'the mail',
    );
    // The mail speaks the person's language (zh, from the registration page): the product's Chinese
    // name where it has one.
    expect(mail.subject).toContain(product.nameZh ?? product.name);

    await page.getByTestId('mark-all-read').click();
    await page.getByTestId('notification-count').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
