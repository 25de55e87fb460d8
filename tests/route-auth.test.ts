import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';
import { registerUser, type SignedIn } from './support/accounts';
import { ApiClient, type Response } from './support/client';

/**
 * Every route refuses whoever its declared `auth` refuses, before it reads its input: called with no
 * session, each non-public route answers 401, and called by a plain shopper, each role-restricted route
 * answers 403, both in the one JSON error shape. The calls carry dummy ids and an empty body, so a route
 * that validated first (400), looked the id up first (404) or did not check at all fails here. The list is
 * the routes as `route()` recorded them, so a route added later is covered without touching this file.
 */

type Declared = TestApp['declaredRoutes'][number];

let app: TestApp;
let shopper: SignedIn;

beforeAll(async () => {
  app = await startTestApp();
  shopper = await registerUser(app.url);
});

afterAll(async () => {
  await app?.close();
});

/** Anything will do for a path parameter: the caller is refused before the route reads it. */
const DUMMY_ID = '0123456789abcdef01234567';
const urlOf = (route: Declared) => route.path.replace(/:\w+/g, DUMMY_ID);
const label = (route: Declared) => `${route.method.toUpperCase()} ${route.path}`;
const rolesOf = (route: Declared) => (typeof route.auth === 'object' ? route.auth.roles : null);

/** Calls the route as `client` (its cookies and CSRF token, if any), with `{}` as the body of a write. */
function call(client: ApiClient, route: Declared) {
  const method = route.method.toUpperCase() as Uppercase<Declared['method']>;
  return client.request(method, urlOf(route), method === 'GET' ? {} : { json: {} });
}

/** What is wrong with `res` as the refusal `status` with `code`, or null when it is exactly that. */
function wrongRefusal(res: Response, status: number, code: string): string | null {
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  if (res.status === status && isJson && res.error?.code === code && typeof res.error.message === 'string')
    return null;
  return `${res.status} ${JSON.stringify(res.body).slice(0, 160)}`;
}

describe('route auth, as declared', () => {
  it('declares every route, each once, with the rule its prefix implies', () => {
    const routes = app.declaredRoutes;
    expect(routes.length).toBeGreaterThan(50);
    const labels = routes.map(label);
    expect(new Set(labels).size).toBe(labels.length);

    const byRule = { public: 0, session: 0, role: 0 };
    for (const route of routes) byRule[typeof route.auth === 'object' ? 'role' : route.auth]++;
    // Every kind of rule is in use, so neither check below can pass on an empty selection.
    expect(byRule.public).toBeGreaterThan(10);
    expect(byRule.session).toBeGreaterThan(10);
    expect(byRule.role).toBeGreaterThan(30);

    // The areas of the API that belong to one kind of account say so in their path; a route there that
    // admits anyone else is a mistake in its declaration, whatever it does.
    const misdeclared = routes.filter((route) => {
      const roles = rolesOf(route);
      const needs = (role: 'admin' | 'support' | 'seller' | 'courier') =>
        roles !== null && roles.includes(role) && !roles.includes('shopper');
      if (route.path.startsWith('/api/admin/')) return !(needs('admin') && roles?.length === 1);
      if (route.path.startsWith('/api/support/')) return !needs('support');
      if (route.path === '/api/seller/imports/template.csv') return route.auth !== 'public';
      if (route.path.startsWith('/api/seller/')) return !needs('seller');
      if (route.path.startsWith('/api/courier/')) return !needs('courier');
      if (route.path.startsWith('/api/me/')) return route.auth === 'public';
      return false;
    });
    expect(misdeclared.map((r) => `${label(r)} ${JSON.stringify(r.auth)}`)).toEqual([]);
  });

  it('answers 401 without a session on every route that is not public', async () => {
    const anonymous = new ApiClient(app.url);
    const guarded = app.declaredRoutes.filter((route) => route.auth !== 'public');
    const failures: string[] = [];
    for (const route of guarded) {
      const wrong = wrongRefusal(await call(anonymous, route), 401, 'unauthorized');
      if (wrong) failures.push(`${label(route)} → ${wrong}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a shopper on every route that needs another role', async () => {
    const forOthers = app.declaredRoutes.filter((route) => {
      const roles = rolesOf(route);
      return roles !== null && !roles.includes('shopper');
    });
    const failures: string[] = [];
    for (const route of forOthers) {
      const wrong = wrongRefusal(await call(shopper, route), 403, 'forbidden');
      if (wrong) failures.push(`${label(route)} → ${wrong}`);
    }
    expect(failures).toEqual([]);
    // Still the same signed-in shopper at the end: no refusal above came from a session that had ended.
    expect((await shopper.get('/api/auth/session')).body.user?.id).toBe(shopper.user.id);
  });

  it('lets anyone through on the public routes (what they answer then is their own business)', async () => {
    const anonymous = new ApiClient(app.url);
    const open = app.declaredRoutes.filter((route) => route.auth === 'public');
    const refused: string[] = [];
    for (const route of open) {
      const res = await call(anonymous, route);
      if (res.status === 401 || res.status === 403) refused.push(`${label(route)} → ${res.status}`);
    }
    expect(refused).toEqual([]);
  });
});
