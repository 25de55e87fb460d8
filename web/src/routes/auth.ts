import {
  LOCALES,
  AccountBlockedError,
  checkPassword,
  WrongPasswordError,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '@market/core';
import { z } from 'zod';
import { ErrorSchema, type RouteDefiner } from '../http/route';
import { requiredText } from '../http/text';
import { cookieOptions, SESSION_COOKIE, type AppContext } from '../http/session';
import { PasswordChangedSchema, PasswordCheckSchema, SessionSchema, UserSchema } from '../schemas';
import { CART_COOKIE, cartOwner } from './cart';
import type { WebDeps } from '../web-deps';

/**
 * Length here (cheap, reported with the other fields); the strength check (zxcvbn, the email) runs in the
 * core's password policy, which answers 422 naming the same field with the library's feedback.
 */
const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

const RegisterSchema = z
  .object({
    email: z.email('not a valid email').max(254),
    password: NewPassword,
    name: requiredText(80),
    role: z.enum(['shopper', 'seller']).default('shopper'),
    /** The registration page's language: mails and notifications follow it (changeable on the profile). */
    locale: z.enum(LOCALES).default('zh'),
    shopName: requiredText(60, 'at least 2 characters', 2).optional(),
    /** An invite code (from `/register?invite=CODE`); an unknown or own code answers 422 naming it. */
    invite: z.string().trim().max(32).optional(),
  })
  .strict()
  .refine((b) => b.role !== 'seller' || b.shopName, { message: 'required for sellers', path: ['shopName'] })
  .meta({ id: 'RegisterInput' });

const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1, 'required').max(200), newPassword: NewPassword })
  .strict()
  .meta({ id: 'PasswordChangeInput' });

const PasswordCheckInputSchema = z
  .object({
    password: z.string().max(PASSWORD_MAX_LENGTH * 4),
    email: z.string().max(254).default(''),
    name: z.string().max(80).default(''),
  })
  .strict()
  .meta({ id: 'PasswordCheckInput' });

const LoginSchema = z
  .object({ email: z.string().min(1, 'required').max(254), password: z.string().min(1, 'required').max(200) })
  .strict()
  .meta({ id: 'LoginInput' });

/** Starts a session for `userId` on this browser (password or phone login, registration). */
export async function startSessionFor(ctx: AppContext, { core }: WebDeps, userId: string) {
  if (ctx.state.sessionToken) await core.auth.endSession(ctx.state.sessionToken, 'replaced'); // rotate
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

export function authRoutes(route: RouteDefiner, deps: WebDeps) {
  const { core, loginLimiter, requestLimits } = deps;
  const startSession = (ctx: AppContext, userId: string) => startSessionFor(ctx, deps, userId);

  route(
    {
      method: 'post',
      path: '/api/auth/register',
      summary: 'Create an account (shopper, or seller with a shop) and log in',
      tags: ['auth'],
      auth: 'public',
      body: RegisterSchema,
      responses: { 201: { description: 'Registered and logged in', schema: SessionSchema } },
    },
    async (ctx, { body }) => {
      await requestLimits.take('register', ctx);
      const user = await core.registration.register(body);
      const csrfToken = await startSession(ctx, user.id);
      ctx.status = 201;
      ctx.body = { user: UserSchema.parse(user), csrfToken };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/password-check',
      summary:
        'How a new password fares against the password policy (the strength meter while typing); nothing is stored',
      tags: ['auth'],
      auth: 'public',
      body: PasswordCheckInputSchema,
      responses: { 200: { description: 'The verdict', schema: PasswordCheckSchema } },
    },
    async (ctx, { body }) => {
      await requestLimits.take('passwordCheck', ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = checkPassword(body.password, { email: body.email, name: body.name });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in with email and password',
      tags: ['auth'],
      auth: 'public',
      body: LoginSchema,
      responses: {
        200: { description: 'Logged in', schema: SessionSchema },
        401: { description: 'Wrong email or password', schema: ErrorSchema },
      },
    },
    async (ctx, { body }) => {
      await loginLimiter.check(ctx.ip, body.email);
      const check = await core.users.verifyCredentials(body.email, body.password);
      if (check.status === 'blocked') throw new AccountBlockedError();
      if (check.status === 'invalid') {
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
      const csrfToken = await startSession(ctx, check.user.id);
      ctx.body = { user: UserSchema.parse(check.user), csrfToken };
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
      await core.auth.endSession(ctx.state.sessionToken!);
      ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/password',
      summary:
        'Change your password (the current one is asked again). Every other session of yours ends, and their sockets disconnect; this one stays.',
      tags: ['auth'],
      auth: 'session',
      body: PasswordChangeSchema,
      responses: {
        200: {
          description: 'Changed',
          schema: PasswordChangedSchema,
        },
      },
    },
    async (ctx, { body, user }) => {
      // Someone holding a stolen session must not get unlimited guesses at the password here either:
      // wrong current passwords count with failed logins for this account and address.
      await loginLimiter.check(ctx.ip, user.email);
      try {
        ctx.body = await core.auth.changePassword({ userId: user.id, sessionId: ctx.state.sessionId! }, body);
      } catch (err) {
        if (err instanceof WrongPasswordError) await loginLimiter.recordFailure(ctx.ip, user.email);
        throw err;
      }
    },
  );

  route(
    {
      method: 'get',
      path: '/api/auth/session',
      summary: 'The current user (or null) and the CSRF token to send with writes',
      tags: ['auth'],
      auth: 'public',
      responses: { 200: { description: 'Session', schema: SessionSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        user: user ? UserSchema.parse(user) : null,
        csrfToken: ctx.state.csrfToken ?? '',
      };
    },
  );
}
