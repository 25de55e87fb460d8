import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { registerUser, staffAccount, TEST_PASSWORD, uniqueName } from '../support/accounts';
import { ApiClient } from '../support/client';
import { assertUiBuilt, launchBrowser, logIn, openPage, screenshot, UI_TIMEOUT } from '../support/browser';
import { ADDRESS, checkout, leafCategory, pay, stockedProduct } from '../support/commerce';
import { waitFor } from '../support/process';

/**
 * Referral rewards from the people's side: the inviter finds their link on /account/invites, a friend
 * signs up through it (the code kept through the register page), gets the welcome coupon, and shows up on
 * the inviter's page; support clears a flagged referral on /admin/referrals.
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

describe('referrals in the browser', () => {
  it('registers through an invite link, and the inviter’s invites page shows the invitee', async () => {
    const inviter = await registerUser(app.url, 'shopper', { name: 'Zhang Min' });
    const host = await openPage(browser, app.url);
    const friend = await openPage(browser, app.url);
    try {
      await host.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      await logIn(host.page, app.url, inviter.email, inviter.password, '/account', UI_TIMEOUT);
      await host.page.getByTestId('account-invites-link').click();
      await host.page.waitForURL(/\/account\/invites$/, { timeout: UI_TIMEOUT });
      const linkField = host.page.getByTestId('invite-link');
      await expect.poll(() => linkField.inputValue(), { timeout: UI_TIMEOUT }).toMatch(/\/register\?invite=/);
      const link = await linkField.inputValue();
      const code = (await host.page.getByTestId('invite-code').textContent())!.trim();
      expect(link).toBe(`${app.url}/register?invite=${code}`);
      expect(await host.page.textContent('[data-testid="invites-page"]')).toContain('Nobody has joined');
      await host.page.getByTestId('copy-link').click();
      await expect.poll(() => host.page.getByTestId('copy-link').textContent()).toContain('Copied');
      expect(await host.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await screenshot(host.page, 'referrals-1-invites-empty');

      // The friend opens the link: the code is on the form, and a wrong one is refused on its field.
      await friend.page.goto(link);
      const inviteField = friend.page.getByTestId('register-invite');
      await expect.poll(() => inviteField.inputValue(), { timeout: UI_TIMEOUT }).toBe(code);
      await friend.page.getByTestId('register-name').fill('Wang Fang');
      await friend.page.getByTestId('register-email').fill(`${uniqueName('friend')}@example.com`);
      await friend.page.getByTestId('register-password').fill(TEST_PASSWORD);
      await inviteField.fill('ACDEFGH');
      await friend.page.getByTestId('register-submit').click();
      const fieldError = friend.page.getByTestId('field-error-invite');
      await fieldError.waitFor({ timeout: UI_TIMEOUT });
      expect(await fieldError.textContent()).toContain('There is no invite with the code ACDEFGH');
      await screenshot(friend.page, 'referrals-2-register-unknown-code');
      await inviteField.fill(code);
      await screenshot(friend.page, 'referrals-3-register-with-code');
      await friend.page.getByTestId('register-submit').click();
      await friend.page.waitForURL((url) => !url.pathname.startsWith('/register'), { timeout: UI_TIMEOUT });

      // The friend's welcome coupon is on their account page.
      await friend.page.goto(`${app.url}/account`);
      const coupon = friend.page.getByTestId('my-coupon');
      await coupon.first().waitFor({ timeout: UI_TIMEOUT });
      expect(await coupon.first().getByTestId('coupon-code').textContent()).toMatch(/^WELCOME-/);
      await screenshot(friend.page, 'referrals-4-friend-welcome-coupon');

      // The inviter sees them join, masked.
      await host.page.reload();
      const row = host.page.getByTestId('invitee');
      await row.first().waitFor({ timeout: UI_TIMEOUT });
      expect(await row.first().getAttribute('data-status')).toBe('joined');
      expect(await row.first().textContent()).toContain('W*** F***');
      expect(await host.page.getByTestId('invites-joined').textContent()).toBe('1');
      await screenshot(host.page, 'referrals-5-invites-joined');
      // On a phone the link and its button stack, and nothing runs off the side.
      await host.page.setViewportSize({ width: 375, height: 812 });
      expect(await host.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(host.page, 'referrals-5b-invites-phone');
      expect([...host.errors, ...friend.errors]).toEqual([]);
    } finally {
      await host.context.close();
      await friend.context.close();
    }
  });

  it('lets support clear a flagged referral on /admin/referrals, which rewards the inviter', async () => {
    const seller = await registerUser(app, 'seller');
    const inviter = await registerUser(app.url, 'shopper', { name: 'Liu Yang' });
    await inviter.post('/api/me/addresses', { ...ADDRESS, phone: '13800000000', district: 'Pudong' });
    const { code } = (await inviter.get('/api/me/invites')).body;
    const invitee = new ApiClient(app.url);
    const joined = await invitee.post('/api/auth/register', {
      email: `${uniqueName('flat')}@example.com`,
      password: TEST_PASSWORD,
      name: 'Chen Jie',
      invite: code,
    });
    expect(joined.status).toBe(201);
    invitee.csrfToken = joined.body.csrfToken;
    const item = await stockedProduct(seller, {
      stock: 2,
      price: 8_000,
      categoryId: await leafCategory(seller),
    });
    await invitee.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(invitee)).body; // to the inviter's address
    await pay(invitee, placed);
    const orderId = placed.orders[0]!.id;
    await seller.post(`/api/orders/${orderId}/accept`);
    await seller.post(`/api/orders/${orderId}/ship`, { carrier: 'SF', trackingNumber: 'SF1234567' });
    await seller.post(`/api/orders/${orderId}/deliver`);
    await invitee.post(`/api/orders/${orderId}/complete`);
    await waitFor(
      async () => (await inviter.get('/api/me/invites')).body.referrals[0]?.status === 'flagged',
      20_000,
    );

    const support = await staffAccount(app, 'support', { name: 'Support Sun' });
    const { page, context, errors } = await openPage(browser, app.url);
    try {
      await logIn(page, app.url, support.email, support.password, '/support', UI_TIMEOUT);
      await page.getByTestId('support-tab-referrals').click();
      await page.waitForURL(/\/admin\/referrals$/, { timeout: UI_TIMEOUT });
      const row = page.getByTestId('flagged-referral').filter({ hasText: inviter.email });
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.textContent()).toContain('delivery address');
      await screenshot(page, 'referrals-6-admin-flagged');
      await row.getByRole('textbox').fill('Flatmates, checked by phone');
      await row.getByTestId('referral-clear').click();
      await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('rewarded');
      expect(await row.textContent()).toContain('Cleared');
      await screenshot(page, 'referrals-7-admin-cleared');
      expect((await inviter.get('/api/me/points')).body.account.balance).toBe(500);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
