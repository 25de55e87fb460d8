import { randomUUID } from 'node:crypto';
import {
  maskEmail,
  maskPhone,
  nextStatuses,
  orderMoney,
  NotFoundError,
  roleOn,
  ValidationError,
  ORDER_STATUSES,
  type Actor,
  type Order,
  type OrderStatus,
  type OrderSummary,
} from '@market/core';
import { z } from 'zod';
import { OptionalIdempotencyKeyHeaders } from '../http/idempotency-key';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam, TimeCursorParam } from '../schemas';
import {
  OrderSchema,
  OrderSummaryPageSchema,
  RefundInputSchema,
  ShipInputSchema,
  SupportOrderSummaryPageSchema,
} from '../schemas-commerce';
import type { WebDeps } from '../web-deps';

const ListQuery = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    cursor: TimeCursorParam.optional(),
    limit: queryInt(1, 200, 50),
  })
  .strict();

/** A page of orders (newest first) and the cursor of the next: `<createdAt>~<id>` of its last order. */
function page(items: OrderSummary[], limit: number) {
  const last = items.at(-1);
  return {
    items,
    nextCursor: items.length === limit && last ? `${last.createdAt.toISOString()}~${last.id}` : null,
  };
}

function listOptions(q: { status?: OrderStatus; limit: number; cursor?: string }) {
  const [at = '', id = ''] = q.cursor?.split('~') ?? [];
  const createdAt = new Date(at);
  if (q.cursor && Number.isNaN(createdAt.getTime()))
    throw new ValidationError([{ field: 'query.cursor', message: 'the nextCursor of the previous page' }]);
  return { status: q.status, limit: q.limit, ...(q.cursor && { after: { createdAt, id } }) };
}
const Reason = z.string().trim().max(500).default('');

export function orderRoutes(route: RouteDefiner, { core }: WebDeps) {
  const withActions = async (order: Order, role: 'buyer' | 'seller' | 'support' | 'system') => {
    let actions = nextStatuses(order.status, role);
    // Once a courier has taken the order's delivery, the courier ships it (at pickup), not the seller.
    if (actions.includes('shipped') && !(await core.logistics.mayShipByHand(order.id)))
      actions = actions.filter((s) => s !== 'shipped');
    const insider = role === 'seller' || role === 'support';
    // Support reads people, not ids: the buyer, the seller and each timeline actor by name.
    const people =
      role === 'support'
        ? await core.users.accessOf([
            order.buyerId,
            order.sellerId,
            ...order.timeline.flatMap((e) => (e.actorId ? [e.actorId] : [])),
          ])
        : null;
    const person = (id: string) => {
      const found = people?.get(id);
      return {
        id,
        name: found?.name ?? '',
        email: maskEmail(found?.email ?? ''),
        phone: found?.phone ? maskPhone(found.phone) : null,
      };
    };
    const shop = await core.shops.getShop(order.shopId);
    return {
      ...order,
      shopNameZh: shop?.nameZh ?? '',
      timeline: order.timeline.map((e) => ({
        ...e,
        actorName: (e.actorId && people?.get(e.actorId)?.name) || null,
      })),
      commission: insider ? order.commission : [],
      earnings: insider ? orderMoney(order) : null,
      people: people && { buyer: person(order.buyerId), seller: person(order.sellerId) },
      yourRole: role,
      actions,
    };
  };
  const orderResponse = { 200: { description: 'The order', schema: OrderSchema } };
  const byId = { params: z.object({ id: IdParam }) };

  /** Declares `POST /api/orders/:id/<action>`: an order transition made by whoever may make it. */
  function action<B extends z.ZodType>(
    name: string,
    summary: string,
    body: B | undefined,
    run: (
      actor: Actor,
      id: string,
      body: z.output<B>,
      ctx: Parameters<Parameters<RouteDefiner>[1]>[0],
    ) => Promise<Order>,
    /** Request headers it reads (documented and checked like the body). */
    headers?: z.ZodObject,
  ) {
    route(
      {
        method: 'post',
        path: `/api/orders/:id/${name}`,
        summary,
        tags: ['orders'],
        auth: 'session',
        ...byId,
        ...(body && { body }),
        ...(headers && { headers }),
        responses: orderResponse,
      },
      async (ctx, { params, body: input, user }) => {
        const actor = actorOf(user);
        // Staff acting on someone else's order is audited with the order as it was and as it is.
        const before =
          (await core.orders.roleFor(actor, params.id)) === 'support'
            ? await core.orders.get(params.id)
            : null;
        const order = await run(actor, params.id, input as z.output<B>, ctx);
        // The action checked access already; the role only picks the next buttons, so no second read.
        const role = roleOn(order, actor);
        if (!role) throw new NotFoundError('Order');
        if (before)
          await core.audit.record({
            actor: user,
            action: `order.${name === 'refunds' ? 'refunded' : name === 'cancel' ? 'cancelled' : name}`,
            target: { type: 'order', id: order.id },
            before: { status: before.status, refunded: before.refunded },
            after: { status: order.status, refunded: order.refunded },
            reason: (input as { reason?: string } | undefined)?.reason ?? null,
          });
        ctx.body = await withActions(order, role);
      },
    );
  }

  route(
    {
      method: 'get',
      path: '/api/orders',
      summary: 'Your orders, newest first',
      tags: ['orders'],
      auth: 'session',
      query: ListQuery,
      responses: { 200: { description: 'Orders', schema: OrderSummaryPageSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page(await core.orders.listForBuyer(user.id, listOptions(query)), query.limit);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/orders/:id',
      summary: 'One order with its timeline (its buyer, its seller and support only)',
      tags: ['orders'],
      auth: 'session',
      ...byId,
      responses: orderResponse,
    },
    async (ctx, { params, user }) => {
      const { order, role } = await core.orders.getFor(actorOf(user), params.id);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await withActions(order, role);
    },
  );

  action(
    'cancel',
    'Cancel an order (buyer before acceptance, seller before shipping, support); a paid order is refunded',
    z.object({ reason: Reason }).strict(),
    (actor, id, body) => core.checkout.cancel(actor, id, body.reason),
  );
  action('accept', 'The seller accepts a paid order', undefined, (actor, id) =>
    core.checkout.accept(actor, id),
  );
  action(
    'ship',
    'The seller ships an accepted order with their own carrier and a tracking number; this cancels a courier delivery no courier has accepted yet (409 once one has: the courier ships it at pickup)',
    ShipInputSchema,
    async (actor, id, body) => {
      // Who may ship is the order's call; whether a courier has the parcel already is logistics'.
      if ((await core.orders.roleFor(actor, id)) === 'seller') await core.logistics.checkHandShip(id);
      return core.checkout.ship(actor, id, { carrier: body.carrier, number: body.trackingNumber });
    },
  );
  action('deliver', 'Mark a shipped order delivered (seller or support)', undefined, (actor, id) =>
    core.checkout.markDelivered(actor, id),
  );
  action('complete', 'The buyer confirms receipt; membership points are earned', undefined, (actor, id) =>
    core.checkout.confirmReceipt(actor, id),
  );
  action(
    'refunds',
    'Support refunds part (amount in fen) or all of a paid order; an Idempotency-Key makes retries safe',
    RefundInputSchema,
    (actor, id, body, ctx) =>
      core.checkout.refund(
        actor,
        id,
        body.amount ?? null,
        body.reason,
        ctx.get('idempotency-key') || randomUUID(),
      ),
    OptionalIdempotencyKeyHeaders,
  );

  route(
    {
      method: 'get',
      path: '/api/seller/orders',
      summary: "Your shop's orders, newest first (filter by status, e.g. paid for the accept queue)",
      tags: ['seller', 'orders'],
      auth: { roles: ['seller'] },
      query: ListQuery,
      responses: { 200: { description: 'Orders', schema: OrderSummaryPageSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page(await core.orders.listForSeller(user.id, listOptions(query)), query.limit);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/orders',
      summary:
        'Order lookup for support: by order id or number, buyer or seller id, a buyer’s email, phone or name (prefix), or the latest by status; each with the buyer’s name',
      tags: ['support', 'orders'],
      auth: { roles: ['support'] },
      query: ListQuery.extend({ q: z.string().trim().max(100).optional() }).strict(),
      responses: { 200: { description: 'Orders', schema: SupportOrderSummaryPageSchema } },
    },
    async (ctx, { query }) => {
      let items = await core.orders.search({ text: query.q, status: query.status, limit: query.limit });
      if (!items.length && query.q) {
        // Not an order, buyer or seller id: perhaps a person (email, phone, name), through the people index.
        const people = core.userDirectory.searchIds(query.q, {}, { limit: 5 }).ids;
        const theirs = await Promise.all(
          people.map((id) => core.orders.listForBuyer(id, { limit: query.limit })),
        );
        items = theirs
          .flat()
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
          .slice(0, query.limit);
      }
      const buyers = await core.users.accessOf(items.map((o) => o.buyerId));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        items: items.map((o) => ({
          ...o,
          buyerName: buyers.get(o.buyerId)?.name ?? '',
          buyerContact: maskEmail(buyers.get(o.buyerId)?.email ?? ''),
        })),
        nextCursor: null,
      };
    },
  );
}
