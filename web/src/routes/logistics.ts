import { deliveryActions, type DeliveryView } from '@market/core';
import { z } from 'zod';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { requiredText } from '../http/text';
import { actorOf } from '../http/session';
import { sendJsonNull } from '../http/json-null';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  Code,
  CourierProfileListSchema,
  DeliveryFeedSchema,
  DeliverySchema,
  DeliveryStatusSchema,
  DeliverySummaryListSchema,
  OpsAlertListSchema,
  OrderDeliverySchema,
} from './logistics-schemas';

/** The delivery with the buttons its viewer may press. */
export function withDeliveryActions(view: DeliveryView) {
  return { ...view, actions: deliveryActions(view.status, view.yourRole) };
}

const Limit = queryInt(1, 200, 50);

/**
 * Deliveries as shoppers, sellers and support see them: the delivery of an order, a seller's deliveries,
 * support's live feed with counters and alerts, reassigning and cancelling, and the self-pickup
 * hand-over. The courier's own endpoints are in couriers.ts.
 */
export function logisticsRoutes(route: RouteDefiner, { core }: WebDeps) {
  const byId = { params: z.object({ id: IdParam }) };
  const deliveryResponse = { 200: { description: 'The delivery', schema: DeliverySchema } };

  route(
    {
      method: 'get',
      path: '/api/orders/:id/delivery',
      summary:
        "An order's delivery: status, timeline, courier position and ETA; the shopper also gets the delivery or pickup code. null while the order has no delivery yet (before the seller accepts it)",
      tags: ['logistics', 'orders'],
      auth: 'session',
      ...byId,
      responses: {
        200: { description: 'The delivery, or null before there is one', schema: OrderDeliverySchema },
      },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const view = await core.logistics.forOrder(actorOf(user), params.id);
      if (view) ctx.body = withDeliveryActions(view);
      else sendJsonNull(ctx);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/deliveries/:id',
      summary: 'One delivery (its shopper, seller, courier and support only)',
      tags: ['logistics'],
      auth: 'session',
      ...byId,
      responses: deliveryResponse,
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = withDeliveryActions(await core.logistics.get(actorOf(user), params.id));
    },
  );

  route(
    {
      method: 'get',
      path: '/api/deliveries/:id/proof-photo',
      summary: 'The proof-of-delivery photo, if the courier took one',
      tags: ['logistics'],
      auth: 'session',
      ...byId,
      responses: { 200: { description: 'The image', contentType: 'image/*' } },
    },
    async (ctx, { params, user }) => {
      const photo = await core.logistics.proofPhoto(actorOf(user), params.id);
      ctx.type = photo.type;
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = photo.bytes;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/deliveries/:id/collect',
      summary:
        "Self-pickup: the pickup point (the order's seller or support) hands the parcel over for the shopper's code",
      tags: ['logistics'],
      auth: 'session',
      ...byId,
      body: z.object({ code: Code }).strict().meta({ id: 'CollectInput' }),
      responses: deliveryResponse,
    },
    async (ctx, { params, body, user }) => {
      ctx.body = withDeliveryActions(await core.logistics.collect(actorOf(user), params.id, body.code));
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/deliveries',
      summary: "Deliveries of your shop's orders, newest first",
      tags: ['logistics', 'seller'],
      auth: { roles: ['seller'] },
      query: z.object({ status: DeliveryStatusSchema.optional(), limit: Limit }).strict(),
      responses: {
        200: { description: 'Deliveries', schema: DeliverySummaryListSchema },
      },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.logistics.forSeller(user.id, query) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/deliveries',
      summary: 'The deliveries feed for support, newest first, with counters of those under way',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      query: z
        .object({
          status: DeliveryStatusSchema.optional(),
          sellerId: IdParam.optional(),
          late: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          limit: Limit,
        })
        .strict(),
      responses: { 200: { description: 'Deliveries and counters', schema: DeliveryFeedSchema } },
    },
    async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.logistics.feed(query);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/deliveries/:id',
      summary: 'One delivery with its full timeline, codes and live position (support)',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      ...byId,
      responses: deliveryResponse,
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = withDeliveryActions(await core.logistics.get(actorOf(user), params.id));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/support/deliveries/:id/reassign',
      summary:
        'Take a delivery from its courier (before pickup) and offer it to `courierId`, or to the next nearest',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      ...byId,
      body: z.object({ courierId: IdParam.optional() }).strict().meta({ id: 'ReassignInput' }),
      responses: deliveryResponse,
    },
    async (ctx, { params, body, user }) => {
      ctx.body = withDeliveryActions(await core.logistics.reassign(actorOf(user), params.id, body.courierId));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/support/deliveries/:id/cancel',
      summary: 'Cancel a delivery (support); the order itself is cancelled or refunded on the order',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      ...byId,
      body: z.object({ reason: requiredText(500, 'say why') }).strict(),
      responses: deliveryResponse,
    },
    async (ctx, { params, body, user }) => {
      ctx.body = withDeliveryActions(await core.logistics.cancel(actorOf(user), params.id, body.reason));
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/couriers',
      summary: 'Couriers with availability, load and last position (support)',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      responses: {
        200: { description: 'Couriers', schema: CourierProfileListSchema },
      },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.logistics.couriers.list() };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/alerts',
      summary:
        'Recent operations alerts: late deliveries, silent couriers, failed attempts, payment events that do not match their payment (support)',
      tags: ['logistics', 'support'],
      auth: { roles: ['support'] },
      query: z.object({ limit: Limit }).strict(),
      responses: {
        200: { description: 'Alerts, newest first', schema: OpsAlertListSchema },
      },
    },
    async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.alerts.recent(query.limit) };
    },
  );
}
