import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_MAX_ATTEMPTS: '4' } });
});
afterAll(() => app?.close());

const email = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe('auth', () => {
  it('registers a shopper, starts a session with an httpOnly SameSite cookie, and logs out', async () => {
    const client = new ApiClient(app.url);
    const res = await client.post('/api/auth/register', {
      email: email('amy'),
      password: 'correct horse',
      name: 'Amy',
    });
    expect(res.status).toBe(201);
    expect(res.body.user!.roles).toEqual(['shopper']);
    expect(res.body.user!.shopId).toBeNull();
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    client.csrfToken = res.body.csrfToken;

    const session = await client.get('/api/auth/session');
    expect(session.body.user!.name).toBe('Amy');
    expect(session.body.csrfToken).toBe(res.body.csrfToken);

    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/session')).body.user).toBeNull();
  });

  it('stores an argon2id hash, never the password', async () => {
    const address = email('hash');
    await new ApiClient(app.url).post('/api/auth/register', {
      email: address,
      password: 'secret-pass-1',
      name: 'H',
    });
    const doc = await app.database.connection.collection('users').findOne({ email: address });
    expect(doc!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(doc)).not.toContain('secret-pass-1');
  });

  it('registers a seller together with their shop', async () => {
    const client = new ApiClient(app.url);
    const res = await client.post('/api/auth/register', {
      email: email('sam'),
      password: 'long enough password',
      name: 'Sam',
      role: 'seller',
      shopName: 'Sam Shoes',
    });
    expect(res.status).toBe(201);
    expect(res.body.user!.roles).toContain('seller');
    const shop = await app.core.shops.getShop(res.body.user!.shopId!);
    expect(shop?.name).toBe('Sam Shoes');
  });

  it('rejects a seller without a shop name and a duplicate email, naming the field', async () => {
    const client = new ApiClient(app.url);
    const noShop = await client.post('/api/auth/register', {
      email: email('x'),
      password: 'long enough password',
      name: 'X',
      role: 'seller',
    });
    expect(noShop.status).toBe(422);
    expect(noShop.error.fields).toContainEqual({
      field: 'body.shopName',
      message: 'required for sellers',
    });

    const address = email('dup');
    expect(
      (
        await client.post('/api/auth/register', {
          email: address,
          password: 'long enough password',
          name: 'A',
        })
      ).status,
    ).toBe(201);
    const again = await new ApiClient(app.url).post('/api/auth/register', {
      email: address.toUpperCase(),
      password: 'long enough password',
      name: 'B',
    });
    expect(again.status).toBe(409);
    expect(again.error.fields[0].field).toBe('body.email');
  });

  it("refuses a weak password at registration with the strength library's feedback, creating nothing", async () => {
    const register = (address: string, password: string) =>
      new ApiClient(app.url).post('/api/auth/register', { email: address, password, name: 'Weak' });
    const cases: [string, RegExp][] = [
      ['password1234', /commonly used password/],
      ['qwertyuiop12', /./],
      ['aaaaaaaaaaaaaaaa', /Repeated characters/],
    ];
    for (const [password, feedback] of cases) {
      const address = email('weak');
      const res = await register(address, password);
      expect(res.status, password).toBe(422);
      expect(res.error.fields).toEqual([
        { field: 'body.password', message: expect.stringMatching(feedback) },
      ]);
      expect(await app.database.connection.collection('users').countDocuments({ email: address })).toBe(0);
    }
    const address = email('self');
    const itself = await register(address, address);
    expect(itself.status).toBe(422);
    expect(itself.error.fields[0]).toEqual({
      field: 'body.password',
      message: 'must not be your email address',
    });
    const local = address.split('@')[0]!;
    expect((await register(email('x'), `${local}-secret-words`)).status).toBe(201); // someone else's local part
    expect((await register(address, `my ${local} secret`)).error.fields[0].message).toMatch(
      /name of your email/,
    );
  });

  it("answers the strength meter with the policy's verdict, without a session and storing nothing", async () => {
    const meter = new ApiClient(app.url);
    const weak = await meter.post('/api/auth/password-check', { password: 'password1234', email: '' });
    expect(weak.status).toBe(200);
    expect(weak.body).toMatchObject({ ok: false, problem: expect.stringMatching(/commonly used password/) });
    const own = await meter.post('/api/auth/password-check', {
      password: 'mei.lin.garden-party',
      email: 'mei.lin@example.com',
      name: 'Mei Lin',
    });
    expect(own.body.ok).toBe(false);
    const strong = await meter.post('/api/auth/password-check', { password: 'tidal quince 71 lantern' });
    expect(strong.body).toMatchObject({ ok: true, problem: null });
    expect(strong.body.score).toBeGreaterThanOrEqual(3);
    expect(strong.headers.get('cache-control')).toBe('no-store');
    const tooLong = await meter.post('/api/auth/password-check', { password: 'x'.repeat(600) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.error.fields[0].field).toBe('body.password');
  });

  it('names every invalid field', async () => {
    const res = await new ApiClient(app.url).post('/api/auth/register', {
      email: 'nope',
      password: 'short',
      name: '',
    });
    expect(res.status).toBe(422);
    const fields = res.error.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['body.email', 'body.name', 'body.password']);
  });

  it('refuses wrong passwords with 401 and then rate-limits the account with 429', async () => {
    const address = email('rate');
    await new ApiClient(app.url).post('/api/auth/register', {
      email: address,
      password: 'the right one',
      name: 'R',
    });
    const client = new ApiClient(app.url);
    for (let i = 0; i < 4; i++) {
      const res = await client.post('/api/auth/login', { email: address, password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await client.post('/api/auth/login', { email: address, password: 'the right one' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not locked out by these failures.
    const other = email('other');
    await new ApiClient(app.url).post('/api/auth/register', {
      email: other,
      password: 'the right one',
      name: 'O',
    });
    expect((await client.post('/api/auth/login', { email: other, password: 'the right one' })).status).toBe(
      200,
    );
  });

  it('rejects operator injection in the login body', async () => {
    const client = new ApiClient(app.url);
    const res = await client.post('/api/auth/login', { email: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.error.fields[0].field).toBe('body.email.$gt');
    const typed = await client.request('POST', '/api/auth/login', {
      body: JSON.stringify({ email: ['a@b.c'], password: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(typed.status).toBe(422);
  });

  it('answers malformed JSON with 400 and keeps serving', async () => {
    const client = new ApiClient(app.url);
    const res = await client.request('POST', '/api/auth/login', {
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.error.code).toBe('bad_request');
    expect((await client.get('/api/auth/session')).status).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const client = new ApiClient(app.url);
    const reg = await client.post('/api/auth/register', {
      email: email('csrf'),
      password: 'long enough password',
      name: 'C',
    });
    client.csrfToken = reg.body.csrfToken;
    const withoutToken = await client.request('POST', '/api/auth/logout', { csrf: false });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.error.code).toBe('csrf_invalid');
    expect((await client.get('/api/auth/session')).body.user).not.toBeNull();
    const forged = await client.request('POST', '/api/auth/logout', {
      csrf: false,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(forged.status).toBe(403);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
  });

  it('logs in over plain HTTP in production too (Secure cookies only on secure requests)', async () => {
    const prod = await startTestApp({
      env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex') },
    });
    try {
      const client = new ApiClient(prod.url);
      const reg = await client.post('/api/auth/register', {
        email: email('prod'),
        password: 'long enough password',
        name: 'P',
      });
      expect(reg.status).toBe(201);
      const viaProxy = await fetch(`${prod.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ email: reg.body.user!.email, password: 'long enough password' }),
      });
      expect(viaProxy.status).toBe(200);
      expect(viaProxy.headers.getSetCookie().find((c) => c.startsWith('sid='))).toMatch(/;\s*secure/i);
    } finally {
      await prod.close();
    }
  });

  it('refuses a session cookie with a forged signature', async () => {
    const client = new ApiClient(app.url);
    await client.post('/api/auth/register', {
      email: email('sig'),
      password: 'long enough password',
      name: 'S',
    });
    const cookie = client.cookieHeader().replace(/sid=([^;]+)/, 'sid=AAAA$1');
    const res = await fetch(`${app.url}/api/auth/session`, { headers: { cookie } });
    expect((await res.json()).user).toBeNull();
  });
});
