import { timingSafeEqual } from 'node:crypto';
import { CsrfError, ForbiddenError, type Actor, type Role, type User } from '@market/core';
import type { CoreServices } from '@market/core';
import type { Middleware, ParameterizedContext } from 'koa';

export const SESSION_COOKIE = 'sid';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionState {
  user: User | null;
  sessionToken: string | null;
  /** The session's opaque id (what `sessions.ended` names); null without a session. */
  sessionId: string | null;
  csrfToken: string | null;
}

export type AppContext = ParameterizedContext<SessionState>;

export function cookieOptions(secure: boolean, expires?: Date) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    signed: true,
    path: '/',
    ...(expires && { expires }),
  };
}

/** Resolves the session cookie (if any) into `ctx.state.user`. */
export function sessionMiddleware(auth: CoreServices['auth']): Middleware<SessionState> {
  return async (ctx, next) => {
    ctx.state.user = null;
    ctx.state.sessionToken = null;
    ctx.state.sessionId = null;
    ctx.state.csrfToken = null;
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    if (token) {
      const session = await auth.resolveSession(token);
      // A dead token is ignored, not cleared: a request that set out before a login rotated the session
      // would otherwise answer after it and wipe the new cookie.
      if (session) {
        ctx.state.user = session.user;
        ctx.state.sessionToken = token;
        ctx.state.sessionId = session.id;
        ctx.state.csrfToken = session.csrfToken;
      }
    }
    await next();
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for cookie-authenticated writes: the session's token must come back in a header,
 * which a cross-site form cannot set. Unauthenticated writes (login, register) must be JSON, which a
 * cross-site form cannot send without a CORS preflight that we never grant.
 */
export function csrfMiddleware(): Middleware<SessionState> {
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method) || !ctx.path.startsWith('/api/')) return next();
    if (ctx.state.csrfToken) {
      const sent = ctx.get(CSRF_HEADER);
      if (!sent || !safeEqual(sent, ctx.state.csrfToken)) {
        throw new CsrfError();
      }
    } else if (ctx.request.length && !ctx.is('application/json')) {
      throw new ForbiddenError('Requests without a session must send JSON');
    }
    return next();
  };
}

/** The one role rule: a user has a role when they hold it, and admins have every role. */
export function hasRole(user: Pick<User, 'roles'>, roles: readonly Role[]): boolean {
  return user.roles.some((r) => r === 'admin' || roles.includes(r));
}

export function actorOf(user: User): Actor {
  return { id: user.id, roles: user.roles, shopId: user.shopId };
}
