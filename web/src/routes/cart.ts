import { randomBytes } from 'node:crypto';
import { MAX_LINE_QTY, type CartOwner } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { cookieOptions, type AppContext } from '../http/session';
import { recsActor } from '../recs/actor';
import { SkuParam } from '../schemas';
import { CartSchema } from '../schemas-commerce';
import type { WebDeps } from '../web-deps';

export const CART_COOKIE = 'cart';
const GUEST_CART_DAYS = 30;

/** The cart of the caller: their account cart, or the guest cart named by a cookie (made on first write). */
export function cartOwner(ctx: AppContext, create: boolean): CartOwner | null {
  if (ctx.state.user) return { userId: ctx.state.user.id };
  let token = ctx.cookies.get(CART_COOKIE, { signed: true });
  if (token && !/^[\w-]{24}$/.test(token)) token = undefined;
  if (!token && create) {
    token = randomBytes(18).toString('base64url');
    ctx.cookies.set(
      CART_COOKIE,
      token,
      cookieOptions(ctx.secure, new Date(Date.now() + GUEST_CART_DAYS * 86_400_000)),
    );
  }
  return token ? { guestToken: token } : null;
}

const Qty = z.number().int('a whole number').min(0).max(MAX_LINE_QTY, `at most ${MAX_LINE_QTY}`);

export function cartRoutes(route: RouteDefiner, { core, recs }: WebDeps) {
  const emptyGuestCart = () => core.cart.get({ guestToken: '-' });
  const cartResponses = { 200: { description: 'The cart, re-priced and re-checked', schema: CartSchema } };

  route(
    {
      method: 'get',
      path: '/api/cart',
      summary: 'Your cart, with current prices and stock and a notice on each line that changed',
      tags: ['cart'],
      auth: 'public',
      responses: cartResponses,
    },
    async (ctx) => {
      const owner = cartOwner(ctx, false);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = owner ? await core.cart.get(owner) : await emptyGuestCart();
    },
  );

  route(
    {
      method: 'post',
      path: '/api/cart/lines',
      summary: 'Add units of a SKU (quantities of the same SKU add up)',
      tags: ['cart'],
      auth: 'public',
      body: z
        .object({ sku: SkuParam, qty: Qty.min(1, 'at least 1').default(1) })
        .strict()
        .meta({ id: 'CartAdd' }),
      responses: cartResponses,
    },
    async (ctx, { body }) => {
      const cart = await core.cart.add(cartOwner(ctx, true)!, body.sku, body.qty);
      const line = cart.groups.flatMap((g) => g.lines).find((l) => l.sku === body.sku);
      if (line)
        recs.record(recsActor(ctx, recs, { create: true })!, { type: 'add_to_cart', itemId: line.productId });
      ctx.body = cart;
    },
  );

  route(
    {
      method: 'put',
      path: '/api/cart/lines/:sku',
      summary: 'Set the quantity of a line (0 removes it)',
      tags: ['cart'],
      auth: 'public',
      params: z.object({ sku: SkuParam }),
      body: z.object({ qty: Qty }).strict().meta({ id: 'CartSet' }),
      responses: cartResponses,
    },
    async (ctx, { params, body }) => {
      ctx.body = await core.cart.set(cartOwner(ctx, true)!, params.sku, body.qty);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/cart/lines/:sku',
      summary: 'Remove a line',
      tags: ['cart'],
      auth: 'public',
      params: z.object({ sku: SkuParam }),
      responses: cartResponses,
    },
    async (ctx, { params }) => {
      const owner = cartOwner(ctx, false);
      ctx.body = owner ? await core.cart.remove(owner, params.sku) : await emptyGuestCart();
    },
  );

  route(
    {
      method: 'post',
      path: '/api/cart/acknowledge',
      summary: 'Accept the current prices of every line (after a price change notice)',
      tags: ['cart'],
      auth: 'public',
      responses: cartResponses,
    },
    async (ctx) => {
      const owner = cartOwner(ctx, false);
      ctx.body = owner ? await core.cart.acknowledge(owner) : await emptyGuestCart();
    },
  );
}
