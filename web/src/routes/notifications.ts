import { NOTIFICATION_TYPES } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { requireUser } from '../http/session';
import type { WebDeps } from '../web-deps';

export const NotificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });

export const NotificationPageSchema = z
  .object({
    items: z.array(NotificationSchema),
    unread: z.number().int(),
    nextBefore: z.number().int().nullable(),
  })
  .meta({ id: 'NotificationPage' });

const UnreadSchema = z.object({ unread: z.number().int() }).meta({ id: 'UnreadCount' });

const ChannelSwitches = z.object({ email: z.boolean(), sms: z.boolean() });
export const PreferencesSchema = z
  .object(
    Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, ChannelSwitches])) as Record<
      (typeof NOTIFICATION_TYPES)[number],
      typeof ChannelSwitches
    >,
  )
  .meta({ id: 'NotificationPreferences' });

const PreferencesChangeSchema = z
  .object(
    Object.fromEntries(
      NOTIFICATION_TYPES.map((t) => [
        t,
        z.object({ email: z.boolean(), sms: z.boolean() }).partial().strict().optional(),
      ]),
    ),
  )
  .strict()
  .meta({ id: 'NotificationPreferencesChange' });

const IdParams = z.object({ id: z.string().min(1).max(300) });

/** The notification centre: one's own notifications only (another's id answers 404, like a missing one). */
export function notificationRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/notifications',
      summary: 'Your notifications, newest first, with the unread count',
      tags: ['notifications'],
      auth: 'session',
      query: z.object({
        before: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(50).default(20),
      }),
      responses: { 200: { description: 'A page', schema: NotificationPageSchema } },
    },
    async (ctx, { query }) => {
      const user = requireUser(ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.notifications.list(user.id, query);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/notifications/unread',
      summary: 'How many of your notifications are unread (the bell)',
      tags: ['notifications'],
      auth: 'session',
      responses: { 200: { description: 'The count', schema: UnreadSchema } },
    },
    async (ctx) => {
      const user = requireUser(ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { unread: await core.notifications.unreadCount(user.id) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/notifications/read-all',
      summary: 'Mark all your notifications read',
      tags: ['notifications'],
      auth: 'session',
      responses: { 200: { description: 'The count after', schema: UnreadSchema } },
    },
    async (ctx) => {
      const user = requireUser(ctx);
      ctx.body = { unread: await core.notifications.markAllRead(user.id) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/notifications/preferences',
      summary: 'Which notifications you get by email and by SMS (in-app is always on)',
      tags: ['notifications'],
      auth: 'session',
      responses: { 200: { description: 'Switches', schema: PreferencesSchema } },
    },
    async (ctx) => {
      const user = requireUser(ctx);
      ctx.body = await core.notifications.preferences(user.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/notifications/preferences',
      summary: 'Change some of your notification switches',
      tags: ['notifications'],
      auth: 'session',
      body: PreferencesChangeSchema,
      responses: { 200: { description: 'Switches after the change', schema: PreferencesSchema } },
    },
    async (ctx, { body }) => {
      const user = requireUser(ctx);
      ctx.body = await core.notifications.setPreferences(user.id, body);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/notifications/:id',
      summary: 'One of your notifications',
      tags: ['notifications'],
      auth: 'session',
      params: IdParams,
      responses: { 200: { description: 'The notification', schema: NotificationSchema } },
    },
    async (ctx, { params }) => {
      const user = requireUser(ctx);
      ctx.body = await core.notifications.get(user.id, params.id);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/notifications/:id/read',
      summary: 'Mark one of your notifications read',
      tags: ['notifications'],
      auth: 'session',
      params: IdParams,
      responses: { 200: { description: 'The count after', schema: UnreadSchema } },
    },
    async (ctx, { params }) => {
      const user = requireUser(ctx);
      ctx.body = { unread: await core.notifications.markRead(user.id, params.id) };
    },
  );
}
