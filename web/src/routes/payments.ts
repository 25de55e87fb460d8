import { SANDBOX_METHODS } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import { SandboxSessionSchema, WebhookAckSchema } from '../schemas-commerce';
import type { WebDeps } from '../web-deps';

/** The signature the sandbox providers (payments, payouts) put on their webhooks. */
export const SandboxSignatureHeaders = z.object({
  'sandbox-signature': z
    .string('The signature header is missing')
    .regex(/^t=\d{1,16},v1=[0-9a-f]{64}$/, 't=<unix ms>,v1=<64 hex digits>')
    .describe('t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the shared webhook secret'),
});

export function paymentRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'post',
      path: '/api/payments/webhooks/sandbox',
      summary:
        'Payment provider webhooks. Signed: `Sandbox-Signature: t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`; stale (>5 min), forged and replayed deliveries are refused (400/409). Each event is processed once: a redelivery, however signed, is acknowledged as a duplicate. An event whose amount, currency, session or refund does not match the payment is refused (422 `payment_mismatch`), changes nothing and alerts support',
      tags: ['payments'],
      auth: 'public',
      headers: SandboxSignatureHeaders,
      responses: {
        200: {
          description: 'Acknowledged (the provider stops redelivering)',
          schema: WebhookAckSchema,
        },
      },
    },
    async (ctx) => {
      const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
      const headers = Object.fromEntries(
        Object.entries(ctx.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      ctx.body = await core.payments.receiveWebhook(raw, headers);
    },
  );

  const session = { params: z.object({ id: IdParam }) };

  route(
    {
      method: 'get',
      path: '/api/sandbox-psp/sessions/:id',
      summary:
        'Sandbox payment provider: a hosted payment session, as its page shows it (the provider notes that the shopper is on the page)',
      tags: ['sandbox-psp'],
      auth: 'public',
      ...session,
      responses: { 200: { description: 'The session', schema: SandboxSessionSchema } },
    },
    async (ctx, { params }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.sandbox.openPage(params.id);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/sandbox-psp/sessions/:id/complete',
      summary:
        'Sandbox payment provider: the shopper pays (or fails to). Card 4000 0000 0000 0002 is declined.',
      tags: ['sandbox-psp'],
      auth: 'public',
      ...session,
      body: z
        .object({
          method: z.enum(SANDBOX_METHODS),
          outcome: z.enum(['succeed', 'fail']),
          cardNumber: z.string().max(30).optional(),
        })
        .strict()
        .meta({ id: 'SandboxComplete' }),
      responses: { 200: { description: 'The session after payment', schema: SandboxSessionSchema } },
    },
    async (ctx, { params, body }) => {
      ctx.body = await core.sandbox.complete(params.id, body);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/sandbox-psp/sessions/:id/abandon',
      summary: 'Sandbox payment provider: the shopper leaves without paying',
      tags: ['sandbox-psp'],
      auth: 'public',
      ...session,
      responses: { 200: { description: 'The session', schema: SandboxSessionSchema } },
    },
    async (ctx, { params }) => {
      ctx.body = await core.sandbox.abandon(params.id);
    },
  );
}
