import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { assertUiBuilt } from '../../../tests/support/browser';
import { ApiClient } from '../../../tests/support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../../../tests/support/commerce';

/** The HTTP edge: security headers on HTML, foreign origins refused, 405 with Allow. */

const PUBLIC_URL = 'https://shop.example.test';
let app: TestApp;
/** Production mode behind a proxy, with PUBLIC_URL: HSTS, and "our origin" is PUBLIC_URL's. */
let prod: TestApp;
/** Where the production app really listens (its `url` is PUBLIC_URL, which resolves nowhere here). */
let prodUrl: string;

beforeAll(async () => {
  assertUiBuilt();
  [app, prod] = await Promise.all([
    startTestApp({ products: 2 }),
    // Production requires a payment webhook secret (startTestApp sets only SESSION_SECRET).
    startTestApp({
      env: { NODE_ENV: 'production', PUBLIC_URL, PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex') },
    }),
  ]);
  prodUrl = `http://127.0.0.1:${prod.port}`;
});
afterAll(async () => {
  await Promise.all([app?.close(), prod?.close()]);
});

/** fetch refuses TRACE and friends; a plain HTTP request sends any method. */
function rawRequest(url: string, method: string) {
  return new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

const directives = (header: string | null) =>
  new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );

describe('Content-Security-Policy and HSTS', () => {
  it('puts a strict policy on every storefront HTML page: only its own inline script and styles, no eval, no inline style attribute', async () => {
    const productId = app.catalog!.products[0]!.id;
    for (const path of ['/', `/p/${productId}`, '/register', '/orders/ord_x']) {
      const res = await fetch(app.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      const csp = directives(res.headers.get('content-security-policy'));
      const html = await res.text();
      // The one inline script is SvelteKit's start-up, admitted by its hash and by nothing broader.
      // (JSON-LD blocks are data, which browsers never run.)
      const inlineScripts = [
        ...html.matchAll(/<script(?![^>]*\b(src=|type="application\/ld\+json"))[^>]*>([\s\S]*?)<\/script>/g),
      ].map((m) => `'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
      expect(inlineScripts.length, path).toBe(1);
      // …and Svelte's event replay on server-rendered images, by the hash of its one handler text.
      const replay = `'sha256-${createHash('sha256').update('this.__e=event').digest('base64')}'`;
      expect(csp.get('script-src'), path).toEqual(["'self'", ...inlineScripts, "'unsafe-hashes'", replay]);
      // The page's inlined stylesheets, each by its hash, and one style attribute value: SvelteKit's
      // route announcer's (content-security.ts).
      const inlineStyles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map(
        (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
      );
      expect(inlineStyles.length, path).toBeGreaterThan(0);
      expect(csp.get('style-src'), path).toEqual([
        "'self'",
        ...inlineStyles,
        "'unsafe-hashes'",
        expect.stringMatching(/^'sha256-/),
      ]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('base-uri'), path).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(csp.get('form-action'), path).toEqual(["'self'"]);
      expect(csp.get('default-src'), path).toEqual(["'self'"]);
      expect(csp.get('img-src'), path).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('connect-src'), path).toEqual(["'self'", `ws://${new URL(app.url).host}`]);
      // The served page itself has nothing else the policy would refuse.
      expect(html, path).not.toMatch(/\sstyle=/i);
      expect(html.replaceAll(/\son(error|load)="this\.__e=event"/g, ''), path).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('gives the API docs the same strict policy', async () => {
    const res = await fetch(`${app.url}/api/docs`);
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-hashes'", expect.stringMatching(/^'sha256-/)]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-hashes'", expect.stringMatching(/^'sha256-/)]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('sends no page policy with JSON, and HSTS only in production', async () => {
    const json = await fetch(`${app.url}/api/products`);
    expect(json.headers.get('content-type')).toMatch(/json/);
    expect(json.headers.get('content-security-policy')).toBeNull();
    expect(json.headers.get('strict-transport-security')).toBeNull();
    expect((await fetch(app.url)).headers.get('strict-transport-security')).toBeNull();

    for (const path of ['/', '/api/products']) {
      const res = await fetch(prodUrl + path, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
    }
    const page = await fetch(prodUrl, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.test' },
    });
    expect(directives(page.headers.get('content-security-policy')).get('connect-src')).toEqual([
      "'self'",
      'wss://shop.example.test',
    ]);
  });
});

describe('foreign origins', () => {
  it('refuses a write from another origin even with a valid CSRF token, and takes its own', async () => {
    const shopper = await registerUser(app.url);
    const sku = app.catalog!.products[0]!.variants[0]!.sku;
    const add = (headers: Record<string, string>) =>
      shopper.request('POST', '/api/cart/lines', { json: { sku, qty: 1 }, headers });

    const foreign = await add({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.error.code).toBe('foreign_origin');
    expect((await add({ origin: 'null' })).status).toBe(403);
    expect((await add({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await add({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await shopper.get('/api/cart')).body.groups).toHaveLength(0); // nothing half-done

    const own = await add({ origin: new URL(app.url).origin, 'sec-fetch-site': 'same-origin' });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect((await add({})).status).toBe(200); // no Origin: not a browser, the CSRF token decides
    // Reads are not writes: a foreign page may not read them (no CORS), but they are not refused here.
    expect(
      (await shopper.request('GET', '/api/cart', { headers: { origin: 'https://evil.example' } })).status,
    ).toBe(200);
  });

  it('refuses a foreign origin on login and register too (no session, no CSRF token yet)', async () => {
    const res = await new ApiClient(app.url).request('POST', '/api/auth/login', {
      json: { email: 'shopper@bazaar.test', password: app.password },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.error.code).toBe('foreign_origin');
  });

  it("with PUBLIC_URL, takes that origin as well as the request's own, and nothing else", async () => {
    const client = new ApiClient(prodUrl);
    const body = { email: 'nobody@example.com', password: 'whatever it is' };
    const login = (origin: string, headers: Record<string, string> = {}) =>
      client.request('POST', '/api/auth/login', { json: body, headers: { origin, ...headers } });
    // Through the check, refused by the credentials:
    expect((await login(PUBLIC_URL)).status).toBe(401); // a proxy that rewrote the Host
    expect((await login(new URL(prodUrl).origin)).status).toBe(401); // the address the request went to
    const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'www.bazaar.example' };
    expect((await login('https://www.bazaar.example', viaProxy)).status).toBe(401);
    // A foreign page, whatever it claims through the proxy:
    expect((await login('https://evil.example', viaProxy)).status).toBe(403);
    expect((await login('http://www.bazaar.example', viaProxy)).status).toBe(403); // scheme matters
  });

  it('keeps server-to-server payment webhooks working (they carry no Origin)', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, { stock: 2, categoryId: await leafCategory(seller) });
    const buyer = await registerUser(app.url);
    await buyer.post('/api/cart/lines', { sku, qty: 1 });
    const placed = await checkout(buyer);
    expect(placed.status).toBe(201);
    await pay(buyer, placed.body); // waits until the webhook marked every order paid
  });
});

describe('405 Method Not Allowed', () => {
  it('answers a wrong method with 405, the Allow header and the JSON error shape', async () => {
    const cases: [string, string, string[]][] = [
      ['DELETE', '/api/products', ['GET', 'HEAD', 'POST']],
      ['PUT', '/api/auth/login', ['POST']],
      ['POST', '/api/search', ['GET', 'HEAD']],
      ['TRACE', '/api/products', ['GET', 'HEAD', 'POST']],
    ];
    for (const [method, path, allowed] of cases) {
      const res = await rawRequest(app.url + path, method);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect((res.allow ?? '').split(/,\s*/).sort(), `${method} ${path}`).toEqual(allowed.sort());
      const body = JSON.parse(res.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('method_not_allowed');
      expect(body.error.message).toContain(method);
    }
  });

  it('gives a path with its own route to that route alone, not to a route whose parameter also matches it', async () => {
    // `/api/notifications/read-all` (POST) is also `/api/notifications/:id` (GET) with id "read-all".
    const options = await rawRequest(`${app.url}/api/notifications/read-all`, 'OPTIONS');
    expect(options.status).toBe(200);
    expect(options.allow).toBe('POST');
    const shopper = await registerUser(app.url);
    const read = await shopper.get('/api/notifications/read-all');
    expect(read.status).toBe(405);
    expect(read.headers.get('allow')).toBe('POST');
    // The literal routes next to the parameter keep working, and the parameter route takes the rest.
    expect((await shopper.get('/api/notifications/unread')).status).toBe(200);
    expect((await shopper.post('/api/notifications/read-all', {})).status).toBe(200);
    expect((await shopper.get('/api/notifications/nt_unknown')).status).toBe(404);
    expect((await rawRequest(`${app.url}/api/notifications/nt_unknown`, 'OPTIONS')).allow).toBe('HEAD, GET');
  });

  it('lists what the storefront serves for a wrong method on a page', async () => {
    const res = await fetch(`${app.url}/p/anything`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
