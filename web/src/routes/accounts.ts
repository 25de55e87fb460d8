import {
  LOCALES,
  nextStatuses,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RESET_REQUEST_JOB,
  WrongCodeError,
  WrongPasswordError,
} from '@market/core';
import { z } from 'zod';
import { ErrorSchema, type RouteDefiner } from '../http/route';
import { requiredText } from '../http/text';
import { SessionSchema, UserSchema } from '../schemas';
import type { WebDeps } from '../web-deps';
import { startSessionFor } from './auth';
import { readPhotoUpload } from './photos-upload';
import { SESSION_COOKIE } from '../http/session';
import {
  AcceptedSchema as Accepted,
  AccountClosedSchema,
  AccountExportSchema,
  PasswordResetSchema,
  PhoneSchema,
  ResetLinkSchema,
} from './accounts-schemas';

const Token = z.string().min(1, 'required').max(100);
const Code = z.string().regex(/^\d{6}$/, 'six digits');
const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

/** Password reset, email verification, phone login and the profile. */
export function accountRoutes(route: RouteDefiner, deps: WebDeps) {
  const { core, requestLimits, loginLimiter } = deps;

  route(
    {
      method: 'post',
      path: '/api/auth/password-reset',
      summary:
        'Ask for a password reset link by email. Answers 202 whether or not the address has an account (the work runs in a job either way).',
      tags: ['auth'],
      auth: 'public',
      body: z
        .object({ email: requiredText(254), locale: z.enum(LOCALES).optional() })
        .strict()
        .meta({ id: 'PasswordResetRequest' }),
      responses: {
        202: { description: 'If the address has an account, a link is on its way', schema: Accepted },
      },
    },
    async (ctx, { body }) => {
      const email = body.email.toLowerCase();
      await requestLimits.take('passwordReset', ctx, `email:${email}`);
      await core.queue.enqueue(PASSWORD_RESET_REQUEST_JOB, { email, locale: body.locale ?? null });
      ctx.status = 202;
      ctx.body = { accepted: true };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/password-reset/check',
      summary: 'Whether a reset link still works (the reset page asks before showing its form)',
      tags: ['auth'],
      auth: 'public',
      body: z.object({ token: Token }).strict().meta({ id: 'PasswordResetCheck' }),
      responses: {
        200: { description: 'It works', schema: ResetLinkSchema },
      },
    },
    async (ctx, { body }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.accounts.links.checkResetLink(body.token);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/password-reset/confirm',
      summary:
        'Set a new password with a reset link (once, within 30 minutes). Every session of the account ends, sockets included; log in with the new password.',
      tags: ['auth'],
      auth: 'public',
      body: z.object({ token: Token, password: NewPassword }).strict().meta({ id: 'PasswordResetConfirm' }),
      responses: {
        200: {
          description: 'Changed',
          schema: PasswordResetSchema,
        },
      },
    },
    async (ctx, { body }) => {
      const { endedSessions } = await core.accounts.links.resetPassword(body.token, body.password);
      ctx.body = { endedSessions };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/verify-email',
      summary: 'Confirm an email address with the link mailed to it',
      tags: ['auth'],
      auth: 'public',
      body: z.object({ token: Token }).strict().meta({ id: 'VerifyEmail' }),
      responses: { 204: { description: 'Verified' } },
    },
    async (ctx, { body }) => {
      await core.accounts.links.verifyEmail(body.token);
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/phone-code',
      summary:
        'Text a login code to a phone number. Answers 202 whether or not the number logs in to an account; one code a minute per number.',
      tags: ['auth'],
      auth: 'public',
      body: z.object({ phone: PhoneSchema }).strict().meta({ id: 'PhoneCodeRequest' }),
      responses: {
        202: { description: 'If the number has an account, a code is on its way', schema: Accepted },
      },
    },
    async (ctx, { body }) => {
      await requestLimits.take('smsCode', ctx, `phone:${body.phone}`);
      await core.accounts.phoneCodes.requestLoginCode(body.phone);
      ctx.status = 202;
      ctx.body = { accepted: true };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/auth/phone-login',
      summary: 'Log in with a phone number and the code texted to it (five wrong codes lock it)',
      tags: ['auth'],
      auth: 'public',
      body: z.object({ phone: PhoneSchema, code: Code }).strict().meta({ id: 'PhoneLogin' }),
      responses: {
        200: { description: 'Logged in', schema: SessionSchema },
        401: { description: 'Wrong or expired code', schema: ErrorSchema },
      },
    },
    async (ctx, { body }) => {
      await loginLimiter.check(ctx.ip, body.phone);
      let user;
      try {
        user = await core.accounts.phoneCodes.loginWithCode(body.phone, body.code);
      } catch (err) {
        if (err instanceof WrongCodeError) await loginLimiter.recordFailure(ctx.ip, body.phone);
        throw err;
      }
      await loginLimiter.recordSuccess(ctx.ip, body.phone);
      const csrfToken = await startSessionFor(ctx, deps, user.id);
      ctx.body = { user: UserSchema.parse(user), csrfToken };
    },
  );

  route(
    {
      method: 'patch',
      path: '/api/account/profile',
      summary: 'Change your name or language',
      tags: ['account'],
      auth: 'session',
      body: z
        .object({ name: requiredText(80), locale: z.enum(LOCALES) })
        .partial()
        .strict()
        .meta({ id: 'ProfileChange' }),
      responses: { 200: { description: 'Your account', schema: UserSchema } },
    },
    async (ctx, { body, user }) => {
      ctx.body = UserSchema.parse(await core.users.updateProfile(user.id, body));
    },
  );

  route(
    {
      method: 'put',
      path: '/api/account/avatar',
      summary:
        'Set your profile photo (multipart/form-data, field "file"): decoded safely like product photos, stripped of metadata, cropped square and stored small; the previous photo is deleted',
      tags: ['account'],
      auth: 'session',
      responses: { 200: { description: 'Your account', schema: UserSchema } },
    },
    async (ctx, { user }) => {
      const file = await readPhotoUpload(ctx, core.photos.limits().maxBytes);
      ctx.body = UserSchema.parse(await core.accounts.avatars.upload(user.id, file.content));
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/account/avatar',
      summary: 'Remove your profile photo (its files are deleted)',
      tags: ['account'],
      auth: 'session',
      responses: { 200: { description: 'Your account', schema: UserSchema } },
    },
    async (ctx, { user }) => {
      ctx.body = UserSchema.parse(await core.accounts.avatars.remove(user.id));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/account/email-verification',
      summary: 'Mail yourself a link that confirms your address',
      tags: ['account'],
      auth: 'session',
      responses: { 202: { description: 'On its way', schema: Accepted } },
    },
    async (ctx, { user }) => {
      await requestLimits.take('passwordReset', ctx, `email:${user.email}`);
      await core.accounts.links.sendEmailVerification(user);
      ctx.status = 202;
      ctx.body = { accepted: true };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/account/phone/code',
      summary: 'Text a code to the number you want to log in with',
      tags: ['account'],
      auth: 'session',
      body: z.object({ phone: PhoneSchema }).strict().meta({ id: 'PhoneVerificationRequest' }),
      responses: { 202: { description: 'On its way', schema: Accepted } },
    },
    async (ctx, { body, user }) => {
      await requestLimits.take('smsCode', ctx, `phone:${body.phone}`);
      await core.accounts.phoneCodes.requestPhoneVerification(user, body.phone);
      ctx.status = 202;
      ctx.body = { accepted: true };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/account/phone',
      summary: 'Set your login phone with the code texted to it',
      tags: ['account'],
      auth: 'session',
      body: z.object({ phone: PhoneSchema, code: Code }).strict().meta({ id: 'PhoneVerification' }),
      responses: { 200: { description: 'Your account', schema: UserSchema } },
    },
    async (ctx, { body, user }) => {
      ctx.body = UserSchema.parse(await core.accounts.phoneCodes.confirmPhone(user, body.phone, body.code));
    },
  );

  route(
    {
      method: 'get',
      path: '/api/account/export',
      summary:
        'Download everything held about you as JSON (profile, orders, reviews, points, notifications…)',
      tags: ['account'],
      auth: 'session',
      responses: { 200: { description: 'Your data', schema: AccountExportSchema } },
    },
    async (ctx, { user }) => {
      const data = await core.accounts.closing.exportFor(user.id);
      const shopIds = [...new Set(data.orders.map((o) => o.shopId))];
      const shops = await Promise.all(shopIds.map((id) => core.shops.getShop(id)));
      const shopNamesZh = new Map(shopIds.map((id, i) => [id, shops[i]?.nameZh ?? '']));
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('Content-Disposition', `attachment; filename="bazaar-account-${user.id}.json"`);
      ctx.body = {
        ...data,
        orders: data.orders.map((o) => ({
          ...o,
          shopNameZh: shopNamesZh.get(o.shopId) ?? '',
          timeline: o.timeline.map((e) => ({ ...e, actorName: null })),
          people: null,
          yourRole: 'buyer' as const,
          actions: nextStatuses(o.status, 'buyer'),
          // What the seller earns on it is the seller's business, not the buyer's data.
          earnings: null,
        })),
        recommendations: await deps.recs.profile(user.id),
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/account/close',
      summary:
        'Close your account (password asked again): you are signed out everywhere, your email is free at once, orders stay anonymised, the rest is erased',
      tags: ['account'],
      auth: 'session',
      body: z
        .object({ password: z.string().min(1, 'required').max(200) })
        .strict()
        .meta({ id: 'AccountClose' }),
      responses: { 200: { description: 'Closed', schema: AccountClosedSchema } },
    },
    async (ctx, { body, user }) => {
      await loginLimiter.check(ctx.ip, user.email);
      let closed;
      try {
        closed = await core.accounts.closing.close(user.id, body.password);
      } catch (err) {
        if (err instanceof WrongPasswordError) await loginLimiter.recordFailure(ctx.ip, user.email);
        throw err;
      }
      // The recommender forgets the person and erases their stored events in the background.
      await deps.recs.reset(user.id);
      deps.log.info({ userId: user.id }, 'account closed by its owner');
      ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
      ctx.body = { closed: true, eraseJobId: closed.eraseJobId };
    },
  );
}
