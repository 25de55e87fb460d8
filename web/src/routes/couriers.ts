import { COURIER_AVAILABILITY, MAX_PROOF_BYTES, PayloadTooLargeError } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import type { AppContext } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import { withDeliveryActions } from './logistics';
import {
  Code,
  CourierProfileSchema,
  DeliverySchema,
  DeliverySummaryListSchema,
  PositionInputSchema,
  Reason,
} from './logistics-schemas';

/** Reads a raw request body of at most `limit` bytes (the JSON body parser leaves images alone). */
async function readRawBody(ctx: AppContext, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  const tooLarge = () =>
    new PayloadTooLargeError(`The photo is larger than ${limit / 1024 / 1024} MB`, {
      fields: [{ field: 'body', message: `at most ${limit} bytes` }],
    });
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The courier app's API: the courier's profile and availability, positions (the HTTP twin of the
 * `/courier` socket's `position` event), today's deliveries, and each step of a delivery.
 */
export function courierRoutes(route: RouteDefiner, { core }: WebDeps) {
  const byId = { params: z.object({ id: IdParam }) };
  const deliveryResponse = { 200: { description: 'The delivery', schema: DeliverySchema } };
  const profileResponse = { 200: { description: 'Your courier profile', schema: CourierProfileSchema } };

  route(
    {
      method: 'get',
      path: '/api/courier/me',
      summary: 'Your courier profile: availability, capacity, deliveries held, last position',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      responses: profileResponse,
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.logistics.couriers.get(user.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/courier/availability',
      summary: 'Go online (take offers), busy (keep your deliveries, no new offers) or offline',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      body: z
        .object({ availability: z.enum(COURIER_AVAILABILITY) })
        .strict()
        .meta({ id: 'AvailabilityInput' }),
      responses: profileResponse,
    },
    async (ctx, { body, user }) => {
      ctx.body = await core.logistics.setAvailability(actorOf(user), body.availability);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/courier/position',
      summary: 'One position fix (about one a second at most; faster ones get 429 with Retry-After)',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      body: PositionInputSchema,
      responses: { 204: { description: 'Taken' } },
    },
    async (ctx, { body, user }) => {
      await core.logistics.reportPosition(user.id, body);
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/courier/deliveries',
      summary: "Today's deliveries: open offers first, then those in hand, then those finished today",
      tags: ['courier'],
      auth: { roles: ['courier'] },
      responses: {
        200: { description: 'Deliveries', schema: DeliverySummaryListSchema },
      },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.logistics.today(user.id) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/courier/deliveries/:id/accept',
      summary: 'Accept an offer (409 when it has lapsed or you are fully booked)',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      ...byId,
      responses: deliveryResponse,
    },
    async (ctx, { params, user }) => {
      ctx.body = withDeliveryActions(await core.logistics.accept(actorOf(user), params.id));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/courier/deliveries/:id/decline',
      summary: 'Decline an offer; it goes to the next nearest courier',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      ...byId,
      body: z.object({ reason: Reason }).strict(),
      responses: { 204: { description: 'Declined' } },
    },
    async (ctx, { params, body, user }) => {
      await core.logistics.decline(actorOf(user), params.id, body.reason);
      ctx.status = 204;
    },
  );

  const steps = [
    [
      'picked-up',
      'picked_up',
      "You collected the parcel: at the shop (the order becomes shipped), or a return at the shopper's (the return becomes shipped)",
    ],
    ['in-transit', 'in_transit', 'On the way to the address (again, after a failed attempt)'],
    ['failed-attempt', 'failed_attempt', 'Nobody took the parcel; say why (support is alerted)'],
    ['return', 'returned', 'Bring the parcel back to the shop'],
  ] as const;
  for (const [path, event, summary] of steps) {
    route(
      {
        method: 'post',
        path: `/api/courier/deliveries/:id/${path}`,
        summary,
        tags: ['courier'],
        auth: { roles: ['courier'] },
        ...byId,
        body: z.object({ note: Reason }).strict(),
        responses: deliveryResponse,
      },
      async (ctx, { params, body, user }) => {
        ctx.body = withDeliveryActions(await core.logistics.step(actorOf(user), params.id, event, body.note));
      },
    );
  }

  route(
    {
      method: 'post',
      path: '/api/courier/deliveries/:id/deliver',
      summary: 'Hand the parcel over: the 6-digit code the shopper reads out is the proof',
      tags: ['courier'],
      auth: { roles: ['courier'] },
      ...byId,
      body: z.object({ code: Code }).strict().meta({ id: 'DeliverInput' }),
      responses: deliveryResponse,
    },
    async (ctx, { params, body, user }) => {
      ctx.body = withDeliveryActions(
        await core.logistics.deliver(actorOf(user), params.id, { code: body.code }),
      );
    },
  );

  route(
    {
      method: 'post',
      path: '/api/courier/deliveries/:id/proof-photo',
      summary: `Hand the parcel over with a photo as the proof: the JPEG, PNG or WebP bytes as the body (at most ${MAX_PROOF_BYTES / 1024 / 1024} MB; the type is read from the bytes)`,
      tags: ['courier'],
      auth: { roles: ['courier'] },
      ...byId,
      responses: deliveryResponse,
    },
    async (ctx, { params, user }) => {
      const photo = await readRawBody(ctx, MAX_PROOF_BYTES);
      ctx.body = withDeliveryActions(await core.logistics.deliver(actorOf(user), params.id, { photo }));
    },
  );
}
