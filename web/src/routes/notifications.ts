import { z } from 'zod';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import {
  NotificationPageSchema,
  NotificationSchema,
  PreferencesChangeSchema,
  PreferencesSchema,
  UnreadSchema,
} from './notifications-schemas';
import type { WebDeps } from '../web-deps';

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
        before: queryInt(1, 999_999_999).optional().describe("The previous page's nextBefore"),
        limit: queryInt(1, 50, 20),
      }),
      responses: { 200: { description: 'A page', schema: NotificationPageSchema } },
    },
    async (ctx, { query, user }) => {
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
    async (ctx, { user }) => {
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
    async (ctx, { user }) => {
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
    async (ctx, { user }) => {
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
    async (ctx, { body, user }) => {
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
    async (ctx, { params, user }) => {
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
    async (ctx, { params, user }) => {
      ctx.body = { unread: await core.notifications.markRead(user.id, params.id) };
    },
  );
}
