import { randomBytes } from 'node:crypto';
import type { RecsService } from '@market/recommender/service';
import type { Middleware } from 'koa';
import { CSRF_HEADER, cookieOptions, type AppContext, type SessionState } from '../http/session';

/** A visitor's stable, anonymous recommender identity (signed, httpOnly, a year). */
export const ANONYMOUS_ACTOR_COOKIE = 'rid';
const ANONYMOUS_DAYS = 365;
const TOKEN = /^[\w-]{24}$/;

/**
 * Who an interaction belongs to: the account when logged in, else the visitor's anonymous id (made on
 * first need when `create`). A logged-in request that still carries the visitor cookie links the two —
 * the visitor's history becomes the account's on every process — and drops the cookie, so this happens
 * once per login.
 */
export function recsActor(ctx: AppContext, recs: RecsService, opts: { create: boolean }): string | null {
  let token = ctx.cookies.get(ANONYMOUS_ACTOR_COOKIE, { signed: true });
  if (token && !TOKEN.test(token)) token = undefined;
  const user = ctx.state.user;
  if (user) {
    if (token) {
      recs.link(`anon_${token}`, user.id);
      ctx.cookies.set(ANONYMOUS_ACTOR_COOKIE, null, { path: '/' });
    }
    return user.id;
  }
  if (!token && opts.create) {
    token = randomBytes(18).toString('base64url');
    ctx.cookies.set(
      ANONYMOUS_ACTOR_COOKIE,
      token,
      cookieOptions(ctx.secure, new Date(Date.now() + ANONYMOUS_DAYS * 86_400_000)),
    );
  }
  return token ? `anon_${token}` : null;
}

/**
 * `navigator.sendBeacon` cannot set headers, so the storefront's beacon carries the session's CSRF token
 * in the query string of `POST /api/events`; this moves it into the header the CSRF check reads. It grants
 * nothing a header would not: the token still has to match the session's.
 */
export function beaconCsrfFromQuery(): Middleware<SessionState> {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/api/events' && !ctx.get(CSRF_HEADER)) {
      const token = ctx.query.csrf;
      if (typeof token === 'string' && token) ctx.request.headers[CSRF_HEADER] = token;
    }
    await next();
  };
}
