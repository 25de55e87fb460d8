import { PICKUP_POINTS } from '@market/core';
import { z } from 'zod';
import { IdempotencyKeyHeaders } from '../http/idempotency-key';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import {
  CheckoutInputSchema,
  CheckoutResultSchema,
  CheckoutStateSchema,
  PaymentRetrySchema,
  PickupPointListSchema,
  QuoteSchema,
} from '../schemas-commerce';
import type { WebDeps } from '../web-deps';

export function checkoutRoutes(route: RouteDefiner, { core, requestLimits }: WebDeps) {
  /** The checkout input with a saved address (`delivery.addressId`) copied in from the shopper's book. */
  async function withSavedAddress(userId: string, body: z.output<typeof CheckoutInputSchema>) {
    const { addressId, ...delivery } = body.delivery;
    if (!addressId || delivery.method !== 'courier') return { ...body, delivery };
    const address = await core.addresses.deliveryAddress(userId, addressId, 'body.delivery.addressId');
    return { ...body, delivery: { ...delivery, address } };
  }

  route(
    {
      method: 'get',
      path: '/api/pickup-points',
      summary: 'Self-pickup points',
      tags: ['checkout'],
      auth: 'public',
      responses: {
        200: { description: 'Pickup points', schema: PickupPointListSchema },
      },
    },
    async (ctx) => {
      ctx.body = { items: PICKUP_POINTS };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/checkout/quote',
      summary:
        'Totals of your cart per seller for a delivery method, coupon and points (nothing is reserved)',
      tags: ['checkout'],
      auth: 'session',
      body: CheckoutInputSchema,
      responses: { 200: { description: 'The quote', schema: QuoteSchema } },
    },
    async (ctx, { body, user }) => {
      // A quote with a coupon code is how a code is tried: budgeted, so codes cannot be guessed by script.
      if (body.couponCode) await requestLimits.take('coupon', ctx);
      ctx.body = await core.checkout.quote(user.id, await withSavedAddress(user.id, body));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/checkout',
      summary:
        'Check out your cart: one order per seller, stock reserved, one payment. Needs an Idempotency-Key header; a retry with the same key returns the first response.',
      tags: ['checkout'],
      auth: 'session',
      headers: IdempotencyKeyHeaders,
      body: CheckoutInputSchema,
      responses: {
        201: { description: 'Orders created; pay at payment.redirectUrl', schema: CheckoutResultSchema },
      },
    },
    async (ctx, { body, user, headers }) => {
      await requestLimits.take('checkout', ctx);
      const key = headers['idempotency-key'];
      const result = await core.checkout.checkout(user.id, key, await withSavedAddress(user.id, body));
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      ctx.status = result.status;
      // The JSON of the key's first answer (this route's result or its error), stored and sent again.
      ctx.body = result.body as typeof ctx.body;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/checkouts/:id',
      summary: 'A checkout of yours: its orders and the state of its payment',
      tags: ['checkout'],
      auth: 'session',
      params: z.object({ id: IdParam }),
      responses: { 200: { description: 'The checkout', schema: CheckoutStateSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.checkout.getCheckout(user.id, params.id);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/checkouts/:id/retry-payment',
      summary: 'A new payment page after a failed or abandoned payment (while the orders still wait)',
      tags: ['checkout'],
      auth: 'session',
      params: z.object({ id: IdParam }),
      responses: {
        200: { description: 'Where to pay', schema: PaymentRetrySchema },
      },
    },
    async (ctx, { params, user }) => {
      ctx.body = await core.checkout.retryPayment(user.id, params.id);
    },
  );
}
