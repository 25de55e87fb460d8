import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AFTERSALES_STATUSES,
  hashRequest,
  afterSalesMoves,
  EVIDENCE_SIZES,
  NotFoundError,
  type AfterSalesRequest,
  type AfterSalesRole,
} from '@market/core';
import { z } from 'zod';
import { OptionalIdempotencyKeyHeaders } from '../http/idempotency-key';
import { queryInt } from '../http/query';
import type { RouteContext, RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam, TimeCursorParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import type { AFTERSALES_ACTIONS } from './aftersales-schemas';
import {
  AfterSalesPageSchema,
  AfterSalesRequestSchema,
  DecideSchema,
  EscalateSchema,
  EvidenceSchema,
  OpenAfterSalesSchema,
  OrderAfterSalesSchema,
  ReceiveSchema,
  RejectSchema,
  ShipReturnSchema,
} from './aftersales-schemas';
import { readPhotoUpload } from './photos-upload';

type Action = (typeof AFTERSALES_ACTIONS)[number];

/** The buttons of a move: what `role` may do from `status` by the machine (system moves are nobody's button). */
function actionsFor(request: AfterSalesRequest, role: AfterSalesRole): Action[] {
  const { status, type } = request;
  const names = new Set<Action>();
  for (const to of afterSalesMoves(status, role)) {
    if (to === 'withdrawn') names.add('withdraw');
    else if (to === 'rejected') names.add('reject');
    // A return goes back by the buyer's own carrier or by a courier they book; once booked, the courier.
    else if (to === 'return_shipped' && !request.pickup) names.add('ship').add('book_pickup');
    else if (to === 'escalated') names.add('escalate');
    else if (status === 'escalated') names.add('decide');
    else if (status === 'return_shipped') names.add('confirm_receipt');
    else if (status === 'requested' && to === (type === 'return' ? 'awaiting_return' : 'refunding'))
      names.add('approve');
  }
  return [...names];
}

const withActions = (request: AfterSalesRequest, role: AfterSalesRole) => ({
  ...request,
  yourRole: role,
  actions: actionsFor(request, role),
});

const QueueQuery = z
  .object({
    status: z.enum(AFTERSALES_STATUSES).optional(),
    cursor: TimeCursorParam.optional(),
    limit: queryInt(1, 100, 50),
  })
  .strict();

/**
 * After-sales (售后): buyers open, ship, escalate and withdraw requests on delivered lines; sellers
 * approve, reject and confirm receipt; support decides escalations. Who may make each move is the
 * domain's state machine (`core/src/aftersales/state.ts`); these routes only need a session.
 */
export function afterSalesRoutes(route: RouteDefiner, { core }: WebDeps) {
  const byId = { params: z.object({ id: IdParam }) };
  const requestResponse = { 200: { description: 'The request', schema: AfterSalesRequestSchema } };

  route(
    {
      method: 'post',
      path: '/api/aftersales/evidence',
      summary:
        'Upload an evidence photo for a request you are about to open (multipart/form-data, field "file"); decoded safely and stripped of metadata',
      tags: ['aftersales'],
      auth: 'session',
      responses: { 201: { description: 'Stored', schema: EvidenceSchema } },
    },
    async (ctx, { user }) => {
      const file = await readPhotoUpload(ctx, core.photos.limits().maxBytes);
      ctx.status = 201;
      ctx.body = await core.evidence.upload(user.id, file);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/aftersales/evidence/:id/:size',
      summary: "An evidence photo (its buyer, the order's seller and support only)",
      tags: ['aftersales'],
      auth: 'session',
      params: z.object({ id: IdParam, size: z.enum(EVIDENCE_SIZES) }),
      responses: { 200: { description: 'The image', contentType: 'image/jpeg' } },
    },
    async (ctx, { params, user }) => {
      const file = await core.evidence.file(actorOf(user), params.id, params.size);
      const info = await stat(file).catch(() => null);
      if (!info) throw new NotFoundError('Photo');
      ctx.type = 'image/jpeg';
      ctx.length = info.size;
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = createReadStream(file);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/orders/:id/aftersales',
      summary:
        "An order's lines as after-sales sees them (what may still be refunded, the window) and its requests",
      tags: ['aftersales', 'orders'],
      auth: 'session',
      ...byId,
      responses: { 200: { description: 'Lines and requests', schema: OrderAfterSalesSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.aftersales.forOrder(actorOf(user), params.id);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/orders/:id/aftersales',
      summary:
        'The buyer asks for a refund or a return on a delivered line, within the window (409 aftersales_window_closed after it); one open request per line',
      tags: ['aftersales', 'orders'],
      auth: 'session',
      ...byId,
      body: OpenAfterSalesSchema,
      responses: { 201: { description: 'The request', schema: AfterSalesRequestSchema } },
    },
    async (ctx, { params, body, user }) => {
      const request = await core.aftersales.open(actorOf(user), params.id, body);
      ctx.status = 201;
      ctx.body = withActions(request, 'buyer');
    },
  );

  route(
    {
      method: 'get',
      path: '/api/aftersales',
      summary: 'Your after-sales requests, newest first',
      tags: ['aftersales'],
      auth: 'session',
      responses: { 200: { description: 'Requests', schema: AfterSalesPageSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      const items = await core.aftersales.listForBuyer(user.id);
      ctx.body = { items: items.map((r) => withActions(r, 'buyer')), nextCursor: null };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/aftersales/:id',
      summary: 'One request with its timeline (its buyer, the seller of its order and support only)',
      tags: ['aftersales'],
      auth: 'session',
      ...byId,
      responses: requestResponse,
    },
    async (ctx, { params, user }) => {
      const { request, role } = await core.aftersales.get(actorOf(user), params.id);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = withActions(request, role);
    },
  );

  /**
   * Runs a money-moving answer once per `Idempotency-Key` when one is sent (like checkout): a retry gets
   * the first answer, even when the first one refunded and a second would be refused as a state conflict.
   * Without a key the move is still exactly-once (the request's stream refuses a second approval).
   */
  async function once(
    ctx: RouteContext,
    scope: string,
    userId: string,
    input: unknown,
    run: () => Promise<unknown>,
  ): Promise<void> {
    // Checked against the route's declared `headers` (OptionalIdempotencyKeyHeaders) before this runs.
    const key = ctx.get('idempotency-key') || null;
    if (!key) {
      ctx.body = (await run()) as typeof ctx.body;
      return;
    }
    const result = await core.idempotency.execute(scope, userId, key, hashRequest(input), async () => ({
      status: 200,
      body: await run(),
    }));
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = result.status;
    ctx.body = result.body as typeof ctx.body;
  }

  /** Declares `POST /api/aftersales/:id/<name>`: a move made by whoever the machine lets make it. */
  function move<B extends z.ZodType>(
    name: string,
    summary: string,
    body: B | undefined,
    run: (
      actor: ReturnType<typeof actorOf>,
      id: string,
      body: z.output<B>,
    ) => Promise<{ request: AfterSalesRequest; role: AfterSalesRole }>,
  ) {
    route(
      {
        method: 'post',
        path: `/api/aftersales/:id/${name}`,
        headers: OptionalIdempotencyKeyHeaders,
        summary,
        tags: ['aftersales'],
        auth: 'session',
        ...byId,
        ...(body && { body }),
        responses: requestResponse,
      },
      async (ctx, { params, body: input, user }) => {
        await once(ctx as RouteContext, `aftersales.${name}`, user.id, { id: params.id, input }, async () => {
          const { request, role } = await run(actorOf(user), params.id, input as z.output<B>);
          return withActions(request, role);
        });
      },
    );
  }

  move(
    'approve',
    "The seller approves as asked: a refund only is refunded at once, a return waits for the buyer's parcel",
    undefined,
    (actor, id) => core.aftersales.approve(actor, id),
  );
  move(
    'reject',
    'The seller rejects, saying why (the buyer may escalate to support)',
    RejectSchema,
    (actor, id, b) => core.aftersales.reject(actor, id, b.reason),
  );
  move(
    'ship',
    'The buyer sends the return back and gives the carrier and tracking number',
    ShipReturnSchema,
    (actor, id, b) => core.aftersales.shipReturn(actor, id, { carrier: b.carrier, number: b.trackingNumber }),
  );
  move(
    'pickup',
    "The buyer books a courier to collect the return at the order's address instead of sending it (409 unless approved and not yet shipped or booked; once per request)",
    undefined,
    (actor, id) => core.aftersales.bookPickup(actor, id),
  );
  move(
    'receive',
    'The seller confirms the return arrived (resellable units go back on sale); the refund follows',
    ReceiveSchema,
    (actor, id, b) => core.aftersales.confirmReceipt(actor, id, b.resellable),
  );
  move('escalate', 'The buyer asks support to decide a rejected request', EscalateSchema, (actor, id, b) =>
    core.aftersales.escalate(actor, id, b.note),
  );
  move(
    'withdraw',
    'The buyer withdraws the request (before any money or goods moved)',
    undefined,
    (actor, id) => core.aftersales.withdraw(actor, id),
  );

  route(
    {
      method: 'get',
      path: '/api/seller/aftersales',
      summary: "Your shop's after-sales requests, soonest deadline first (filter by status, cursor-paged)",
      tags: ['aftersales', 'seller'],
      auth: { roles: ['seller'] },
      query: QueueQuery,
      responses: { 200: { description: 'Requests', schema: AfterSalesPageSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const page = await core.aftersales.sellerQueue(user.id, query);
      ctx.body = { ...page, items: page.items.map((r) => withActions(r, 'seller')) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/aftersales',
      summary: 'Escalated after-sales requests waiting for support, oldest first',
      tags: ['aftersales', 'support'],
      auth: { roles: ['support'] },
      query: QueueQuery.omit({ status: true }),
      responses: { 200: { description: 'Requests', schema: AfterSalesPageSchema } },
    },
    async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      const page = await core.aftersales.escalations(query);
      ctx.body = { ...page, items: page.items.map((r) => withActions(r, 'support')) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/support/aftersales/:id/decide',
      headers: OptionalIdempotencyKeyHeaders,
      summary: 'Support decides an escalation: approve as asked, or close it; recorded in the audit log',
      tags: ['aftersales', 'support'],
      auth: { roles: ['support'] },
      ...byId,
      body: DecideSchema,
      responses: requestResponse,
    },
    async (ctx, { params, body, user }) => {
      await once(ctx as RouteContext, 'aftersales.decide', user.id, { id: params.id, body }, async () => {
        const decided = await core.aftersales.decide(actorOf(user), params.id, body.outcome, body.note);
        return withActions(decided.request, decided.role);
      });
    },
  );
}
