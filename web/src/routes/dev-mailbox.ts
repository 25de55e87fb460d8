import { z } from 'zod';
import { NotFoundError } from '@market/core';
import type { RouteDefiner } from '../http/route';
import type { WebDeps } from '../web-deps';
import { DevMailListSchema, DevMailSchema, DevSmsListSchema } from './dev-mailbox-schemas';

/**
 * What the embedded SMTP server received and the sandbox SMS provider "sent" (the `/dev/mailbox` page).
 * Development and test only: in production (or with SMTP_URL) these answer 404 as if absent.
 */
export function devMailboxRoutes(route: RouteDefiner, { config, mailbox, core }: WebDeps) {
  const enabled = config.env !== 'production';
  const query = z.object({
    to: z.string().trim().max(254).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });

  route(
    {
      method: 'get',
      path: '/api/dev/mailbox',
      summary: 'Mail the embedded SMTP server received, newest first (development and test only)',
      tags: ['dev'],
      auth: 'public',
      query,
      responses: { 200: { description: 'Messages', schema: DevMailListSchema } },
    },
    async (ctx, { query }) => {
      if (!enabled || !mailbox) throw new NotFoundError('Page');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await mailbox.list(query) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/dev/mailbox/:id',
      summary: 'One received message (development and test only)',
      tags: ['dev'],
      auth: 'public',
      params: z.object({ id: z.string().min(1).max(60) }),
      responses: { 200: { description: 'The message', schema: DevMailSchema } },
    },
    async (ctx, { params }) => {
      if (!enabled || !mailbox) throw new NotFoundError('Page');
      const message = await mailbox.get(params.id);
      if (!message) throw new NotFoundError('Message');
      ctx.body = message;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/dev/sms',
      summary: 'Text messages the sandbox SMS provider kept, newest first (development and test only)',
      tags: ['dev'],
      auth: 'public',
      query,
      responses: { 200: { description: 'Messages', schema: DevSmsListSchema } },
    },
    async (ctx, { query }) => {
      if (!enabled) throw new NotFoundError('Page');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.sandboxSms.list(query) };
    },
  );
}
