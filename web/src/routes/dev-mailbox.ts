import { z } from 'zod';
import { NotFoundError } from '@market/core';
import type { RouteDefiner } from '../http/route';
import type { WebDeps } from '../web-deps';

const MailSchema = z
  .object({
    id: z.string(),
    messageId: z.string().nullable(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    receivedAt: z.iso.datetime(),
  })
  .meta({ id: 'DevMail' });

const SmsSchema = z
  .object({ id: z.string(), to: z.string(), text: z.string(), key: z.string(), sentAt: z.iso.datetime() })
  .meta({ id: 'DevSms' });

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
      query,
      responses: { 200: { description: 'Messages', schema: z.object({ items: z.array(MailSchema) }) } },
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
      params: z.object({ id: z.string().min(1).max(60) }),
      responses: { 200: { description: 'The message', schema: MailSchema } },
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
      query,
      responses: { 200: { description: 'Messages', schema: z.object({ items: z.array(SmsSchema) }) } },
    },
    async (ctx, { query }) => {
      if (!enabled) throw new NotFoundError('Page');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.sandboxSms.list(query) };
    },
  );
}
