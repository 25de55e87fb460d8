import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { cookieOptions, requireUser, SESSION_COOKIE } from '../http/session';
import { SessionSchema, UserSchema } from '../schemas';
import { CART_COOKIE, cartOwner } from './cart';
import type { WebDeps } from '../web-deps';

const RegisterSchema = z
  .object({
    email: z.email('not a valid email').max(254),
    password: z.string().min(8, 'at least 8 characters').max(200),
    name: z.string().trim().min(1, 'required').max(80),
    role: z.enum(['shopper', 'seller']).default('shopper'),
    shopName: z.string().trim().min(2, 'at least 2 characters').max(60).optional(),
  })
  .strict()
  .refine((b) => b.role !== 'seller' || b.shopName, { message: 'required for sellers', path: ['shopName'] })
  .meta({ id: 'RegisterInput' });

const LoginSchema = z
  .object({ email: z.string().min(1, 'required').max(254), password: z.string().min(1, 'required').max(200) })
  .strict()
  .meta({ id: 'LoginInput' });

export function authRoutes(route: RouteDefiner, { core, loginLimiter }: WebDeps) {
  async function startSession(ctx: Parameters<Parameters<RouteDefiner>[1]>[0], userId: string) {
    if (ctx.state.sessionToken) await core.auth.endSession(ctx.state.sessionToken); // rotate on login
    const session = await core.auth.startSession(userId);
    // A guest cart becomes part of the account's cart.
    const guestCart = cartOwner(ctx, false);
    if (guestCart && 'guestToken' in guestCart) {
      await core.cart.merge(guestCart.guestToken, userId);
      ctx.cookies.set(CART_COOKIE, null, { path: '/' });
    }
    // Secure whenever the request is (HTTPS, or X-Forwarded-Proto behind the production proxy): setting a
    // Secure cookie on a plain-HTTP request throws.
    ctx.cookies.set(SESSION_COOKIE, session.token, cookieOptions(ctx.secure, session.expiresAt));
    return session.csrfToken;
  }

  route(
    {
      method: 'post',
      path: '/api/auth/register',
      summary: 'Create an account (shopper, or seller with a shop) and log in',
      tags: ['auth'],
      body: RegisterSchema,
      responses: { 201: { description: 'Registered and logged in', schema: SessionSchema } },
    },
    async (ctx, { body }) => {
      const user = await core.registration.register(body);
      const csrfToken = await startSession(ctx, user.id);
      ctx.status = 201;
      ctx.body = { user: UserSchema.parse(user), csrfToken };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in with email and password',
      tags: ['auth'],
      body: LoginSchema,
      responses: { 200: { description: 'Logged in', schema: SessionSchema } },
    },
    async (ctx, { body }) => {
      await loginLimiter.check(ctx.ip, body.email);
      const user = await core.users.verifyCredentials(body.email, body.password);
      if (!user) {
        await loginLimiter.recordFailure(ctx.ip, body.email);
        ctx.status = 401;
        ctx.body = {
          error: {
            code: 'invalid_credentials',
            message: 'Wrong email or password',
            fields: [{ field: 'body.password', message: 'wrong email or password' }],
          },
        };
        return;
      }
      await loginLimiter.recordSuccess(ctx.ip, body.email);
      const csrfToken = await startSession(ctx, user.id);
      ctx.body = { user: UserSchema.parse(user), csrfToken };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'End the current session',
      tags: ['auth'],
      auth: 'session',
      responses: { 204: { description: 'Logged out' } },
    },
    async (ctx) => {
      requireUser(ctx);
      await core.auth.endSession(ctx.state.sessionToken!);
      ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/auth/session',
      summary: 'The current user (or null) and the CSRF token to send with writes',
      tags: ['auth'],
      responses: { 200: { description: 'Session', schema: SessionSchema } },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        user: ctx.state.user ? UserSchema.parse(ctx.state.user) : null,
        csrfToken: ctx.state.csrfToken ?? '',
      };
    },
  );
}
