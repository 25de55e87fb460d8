import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { ApiClient, type Response } from '../../../tests/support/client';
import { ADDRESS } from '../../../tests/support/commerce';

/**
 * Request budgets on register, checkout, coupon tries and search, per client address and per account.
 * The app runs in production mode, as behind the proxy, so each test picks its client address with
 * X-Forwarded-For (the proxy appends the real one last; only that one counts).
 */

const PASSWORD = 'long enough password';
let app: TestApp;
let url: string;

beforeAll(async () => {
  app = await startTestApp({
    products: 2,
    env: {
      NODE_ENV: 'production',
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_REGISTER_PER_IP: '3',
      RATE_LIMIT_CHECKOUT_PER_USER: '2',
      RATE_LIMIT_CHECKOUT_PER_IP: '5',
      RATE_LIMIT_COUPON_PER_USER: '2',
      RATE_LIMIT_COUPON_PER_IP: '5',
      RATE_LIMIT_SEARCH_PER_USER: '3',
      RATE_LIMIT_SEARCH_PER_IP: '6',
    },
  });
  url = app.url;
});
afterAll(() => app?.close());

let addressCounter = 10;
/** A fresh client address (TEST-NET-3), as the proxy would report it. */
const newAddress = () => `203.0.113.${addressCounter++}`;

/** An ApiClient whose every request comes from `ip` through the proxy. */
function clientFrom(ip: string) {
  const client = new ApiClient(url);
  const request = client.request.bind(client);
  client.request = (method, path, opts = {}) =>
    request(method, path, { ...opts, headers: { 'x-forwarded-for': ip, ...opts.headers } });
  return client;
}

/** An account made without the register endpoint (its budget is under test), logged in from `ip`. */
async function accountFrom(ip: string) {
  const email = `limits-${randomUUID().slice(0, 8)}@example.com`;
  const user = await app.core.users.createUser({
    email,
    name: 'Limits',
    password: PASSWORD,
    roles: ['shopper'],
  });
  const client = clientFrom(ip);
  await client.login(email, PASSWORD);
  return Object.assign(client, { userId: user.id });
}

function expectLimited(res: Response<unknown>, windowSeconds: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect((res.body as { error: { code: string } }).error.code).toBe('too_many_requests');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

const checkoutFrom = (client: ApiClient) =>
  client.request('POST', '/api/checkout', {
    json: { delivery: { method: 'courier', address: ADDRESS } },
    headers: { 'idempotency-key': randomUUID() },
  });

describe('request budgets', () => {
  it('limits registrations per address, whatever the proxy chain a client invents', async () => {
    const ip = newAddress();
    const register = (from: ApiClient, forwarded?: string) =>
      from.request('POST', '/api/auth/register', {
        json: { email: `reg-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD, name: 'R' },
        ...(forwarded && { headers: { 'x-forwarded-for': forwarded } }),
      });
    for (let i = 0; i < 3; i++) expect((await register(clientFrom(ip))).status).toBe(201);
    expectLimited(await register(clientFrom(ip)), 3600);
    // Prepending a made-up address does not make a new client: only the proxy's last entry counts.
    expectLimited(await register(clientFrom(ip), `198.51.100.7, ${ip}`), 3600);
    expect((await register(clientFrom(newAddress()))).status).toBe(201);
  });

  it('limits checkouts per account and per address', async () => {
    const ip = newAddress();
    const first = await accountFrom(ip);
    for (let i = 0; i < 2; i++) expect((await checkoutFrom(first)).status).not.toBe(429); // empty cart: 4xx
    expectLimited(await checkoutFrom(first), 60); // the account's 2 are spent (the address has used 3 of 5)

    const second = await accountFrom(ip);
    expect((await checkoutFrom(second)).status).not.toBe(429);
    expect((await checkoutFrom(second)).status).not.toBe(429);
    const third = await accountFrom(ip);
    expectLimited(await checkoutFrom(third), 60); // a fresh account, but the address's 5 are spent

    // The same account from another address has its own budget spent already.
    const elsewhere = clientFrom(newAddress());
    await elsewhere.login((await app.core.users.requireUser(first.userId)).email, PASSWORD);
    expectLimited(await checkoutFrom(elsewhere), 60);
  });

  it('limits coupon tries (quotes with a code), not plain quotes', async () => {
    const shopper = await accountFrom(newAddress());
    const sku = app.catalog!.products[0]!.variants[0]!.sku;
    expect((await shopper.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const quote = (couponCode?: string) =>
      shopper.post('/api/checkout/quote', {
        delivery: { method: 'courier', address: ADDRESS },
        ...(couponCode && { couponCode }),
      });
    for (let i = 0; i < 6; i++) expect((await quote()).status).toBe(200);
    for (const code of ['GUESS1', 'GUESS2']) expect((await quote(code)).status).not.toBe(429);
    expectLimited(await quote('GUESS3'), 60);
    expect((await quote()).status).toBe(200); // a quote without a code still works
  });

  it('limits searches and suggestions per address and per account', async () => {
    const ip = newAddress();
    const anonymous = clientFrom(ip);
    for (let i = 0; i < 5; i++) expect((await anonymous.get(`/api/search?q=phone${i}`)).status).toBe(200);
    expect((await anonymous.get('/api/search/suggest?q=ph')).status).toBe(200); // one budget for both
    expectLimited(await anonymous.get('/api/search?q=phone'), 10);
    expectLimited(await anonymous.get('/api/search/suggest?q=ph'), 10);
    expect((await clientFrom(newAddress()).get('/api/search?q=phone')).status).toBe(200);

    const ip2 = newAddress();
    const member = await accountFrom(ip2);
    for (let i = 0; i < 3; i++) expect((await member.get(`/api/search?q=case${i}`)).status).toBe(200);
    expectLimited(await member.get('/api/search?q=case'), 10); // the account's 3 (address: 4 of 6)
    expect((await clientFrom(ip2).get('/api/search?q=case')).status).toBe(200); // the address has room
  });
});
