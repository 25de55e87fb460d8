import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACES } from '@market/realtime/contract';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { registerUser } from './support/accounts';
import { waitFor } from './support/process';

/**
 * The account lifecycle over the real API: password reset by a link that really travels by SMTP
 * (nodemailer → the embedded smtp-server → the dev mailbox), email verification, and login by phone
 * with a code from the sandbox SMS provider. Time comes from a test clock, so expiries are exact.
 */

const NEW_PASSWORD = 'a brand new passphrase 2026';
const clock = createTestClock();
let app: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp({ clock: clock.now });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
});

async function mailTo(email: string, subject: RegExp, after = 0) {
  return waitFor(
    async () => {
      const res = await new ApiClient(app.url).get(`/api/dev/mailbox?to=${encodeURIComponent(email)}`);
      return res.body.items.filter((m) => subject.test(m.subject))[after];
    },
    30_000,
    `a mail to ${email}`,
  );
}

const linkIn = (text: string, path: string) => {
  const match = new RegExp(`https?://\\S+${path}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return { url: match[0], token: match[1]! };
};

async function smsTo(phone: string, count: number) {
  return waitFor(
    async () => {
      const res = await new ApiClient(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`);
      return res.body.items.length >= count && res.body.items[0];
    },
    30_000,
    `a text to ${phone}`,
  );
}
const codeIn = (text: string) => /(\d{6})/.exec(text)![1]!;

let phoneCounter = 0;
const newPhone = () =>
  `+86139${String(Date.now() % 1e6).padStart(6, '0')}${phoneCounter++ % 10}`.slice(0, 14);

describe('password reset by email', () => {
  it('mails a single-use link; the reset ends every session and its sockets; the new password logs in', async () => {
    const person = await registerUser(app.url, 'shopper');
    const otherTab = new ApiClient(app.url);
    await otherTab.login(person.email, person.password);
    const socket = connect(`${app.url}${NAMESPACES.shop}`, {
      transports: ['websocket'],
      extraHeaders: { cookie: otherTab.cookieHeader() },
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const asked = await new ApiClient(app.url).post('/api/auth/password-reset', { email: person.email });
    expect(asked.status).toBe(202);
    const mail = await mailTo(person.email, /重置|Reset/);
    const { token } = linkIn(mail.text, '/reset-password');
    // Only the digest is stored.
    const stored = await app.database.connection.collection('account_links').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(token);

    const anonymous = new ApiClient(app.url);
    expect((await anonymous.post('/api/auth/password-reset/check', { token })).body).toEqual({
      email: person.email,
    });
    // A weak password is refused and does not use the link up.
    const weak = await anonymous.post('/api/auth/password-reset/confirm', {
      token,
      password: 'password1234',
    });
    expect(weak.status).toBe(422);
    expect(weak.error.fields[0].field).toBe('body.password');

    const reset = await anonymous.post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.body.endedSessions).toBeGreaterThanOrEqual(2);
    expect(await disconnected).toBe('io server disconnect');
    expect((await person.get('/api/auth/session')).body.user).toBeNull();
    expect((await otherTab.get('/api/auth/session')).body.user).toBeNull();

    const again = await anonymous.post('/api/auth/password-reset/confirm', {
      token,
      password: `${NEW_PASSWORD}!`,
    });
    expect(again.status).toBe(400);
    expect(again.error.code).toBe('invalid_link');
    expect(
      (
        await new ApiClient(app.url).post('/api/auth/login', {
          email: person.email,
          password: person.password,
        })
      ).status,
    ).toBe(401);
    await new ApiClient(app.url).login(person.email, NEW_PASSWORD);
  });

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    const known = await registerUser(app.url, 'shopper');
    const unknown = `nobody-${Date.now()}@example.com`;
    const a = await new ApiClient(app.url).post('/api/auth/password-reset', { email: known.email });
    const b = await new ApiClient(app.url).post('/api/auth/password-reset', { email: unknown });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body).toEqual(a.body);
    await mailTo(known.email, /重置|Reset/);
    await waitFor(
      async () =>
        (await app.core.queue.count({ type: 'accounts.password_reset_request', status: 'pending' })) === 0,
      30_000,
      'the reset jobs',
    );
    expect((await app.mailbox!.list({ to: unknown })).length).toBe(0);
  });

  it('a link expires after 30 minutes', async () => {
    const person = await registerUser(app.url, 'shopper');
    await new ApiClient(app.url).post('/api/auth/password-reset', { email: person.email, locale: 'en' });
    const mail = await mailTo(person.email, /Reset your Bazaar password/);
    const { token } = linkIn(mail.text, '/reset-password');
    clock.advance(31 * 60_000);
    const late = await new ApiClient(app.url).post('/api/auth/password-reset/confirm', {
      token,
      password: NEW_PASSWORD,
    });
    expect(late.status).toBe(400);
    expect(late.error.code).toBe('invalid_link');
  });

  it('limits requests per address asked about', async () => {
    const email = `limited-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await new ApiClient(app.url).post('/api/auth/password-reset', { email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('email verification', () => {
  it('a mailed link verifies the address once', async () => {
    const person = await registerUser(app.url, 'shopper');
    expect((await person.get('/api/auth/session')).body.user!.emailVerified).toBe(false);
    expect((await person.post('/api/account/email-verification')).status).toBe(202);
    const { token } = linkIn((await mailTo(person.email, /验证|Confirm/)).text, '/verify-email');
    expect((await new ApiClient(app.url).post('/api/auth/verify-email', { token })).status).toBe(204);
    expect((await new ApiClient(app.url).post('/api/auth/verify-email', { token })).status).toBe(400);
    expect((await person.get('/api/auth/session')).body.user!.emailVerified).toBe(true);
  });
});

describe('login by phone with an SMS code', () => {
  it('verifies a phone, then logs in with a texted code; expiry, five wrong tries and the resend throttle hold', async () => {
    const person = await registerUser(app.url, 'shopper');
    const phone = newPhone();
    expect((await person.post('/api/account/phone/code', { phone })).status).toBe(202);
    const verifyCode = codeIn((await smsTo(phone, 1)).text);
    const set = await person.post('/api/account/phone', { phone, code: verifyCode });
    expect(set.status).toBe(200);
    expect(set.body.phone).toBe(phone);

    const browser = new ApiClient(app.url);
    expect((await browser.post('/api/auth/phone-code', { phone })).status).toBe(202);
    const second = await browser.post('/api/auth/phone-code', { phone });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    const code = codeIn((await smsTo(phone, 2)).text);
    const wrong = code === '000000' ? '111111' : '000000';

    for (let i = 1; i <= 4; i++) {
      const res = await browser.post('/api/auth/phone-login', { phone, code: wrong });
      expect(res.status).toBe(401);
      expect(res.error.code).toBe('wrong_code');
    }
    const fifth = await browser.post('/api/auth/phone-login', { phone, code: wrong });
    expect(fifth.error.message).toMatch(/Too many wrong codes/);
    // Locked: even the right code no longer opens it.
    expect((await browser.post('/api/auth/phone-login', { phone, code })).status).toBe(401);

    clock.advance(61_000);
    expect((await browser.post('/api/auth/phone-code', { phone })).status).toBe(202);
    const fresh = codeIn((await smsTo(phone, 3)).text);
    // Codes last five minutes.
    clock.advance(5 * 60_000 + 1_000);
    expect((await browser.post('/api/auth/phone-login', { phone, code: fresh })).status).toBe(401);

    clock.advance(61_000);
    expect((await browser.post('/api/auth/phone-code', { phone })).status).toBe(202);
    const good = codeIn((await smsTo(phone, 4)).text);
    const login = await browser.post('/api/auth/phone-login', { phone, code: good });
    expect(login.status).toBe(200);
    expect(login.body.user!.id).toBe(person.user.id);
    // Single use.
    expect((await new ApiClient(app.url).post('/api/auth/phone-login', { phone, code: good })).status).toBe(
      401,
    );
  });

  it('answers an unknown number like a known one and texts nothing; a number belongs to one account', async () => {
    const phone = newPhone();
    expect((await new ApiClient(app.url).post('/api/auth/phone-code', { phone })).status).toBe(202);
    expect(
      (await new ApiClient(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`)).body.items,
    ).toEqual([]);

    const first = await registerUser(app.url, 'shopper');
    const second = await registerUser(app.url, 'shopper');
    await first.post('/api/account/phone/code', { phone });
    await first.post('/api/account/phone', { phone, code: codeIn((await smsTo(phone, 1)).text) });
    clock.advance(61_000);
    await second.post('/api/account/phone/code', { phone });
    const taken = await second.post('/api/account/phone', {
      phone,
      code: codeIn((await smsTo(phone, 2)).text),
    });
    expect(taken.status).toBe(409);
    expect(taken.error.fields[0].field).toBe('body.phone');
  });

  it('refuses a malformed number naming the field', async () => {
    const res = await new ApiClient(app.url).post('/api/auth/phone-code', { phone: '12' });
    expect(res.status).toBe(422);
    expect(res.error.fields[0].field).toBe('body.phone');
  });
});
