import type Router from '@koa/router';
import {
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  ValidationError,
  type FieldIssue,
  type User,
} from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import type { AppContext } from '../http/session';
import { recsActor } from '../recs/actor';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  EventBatchResultSchema,
  EventBatchSchema,
  FeedSchema,
  HotQuerySchema,
  LimitQuerySchema,
  MAX_EVENTS_BYTES,
  MAX_EVENTS_PER_REQUEST,
  ProfileResetSchema,
  ProfileSchema,
  RecommendedListSchema,
  RecsRebuildJobSchema,
  RecsStatusSchema,
} from './recs-schemas';

const ProductParams = z.object({ id: IdParam });

/**
 * Interaction events in (`POST /api/events`, the storefront's beacon) and recommendations out: hot
 * rankings, item-to-item, the personal feed, and the shopper's profile with its reset.
 */
export function recsRoutes(route: RouteDefiner, router: Router, deps: WebDeps) {
  const { recs, core } = deps;

  const requireListed = async (id: string) => {
    if (!(await core.listings.getListing(id))) throw new NotFoundError('Product');
  };

  // Before the body is validated: an oversized batch is refused as such, whatever it contains.
  router.post('/api/events', async (ctx, next) => {
    const body = ctx.request.body as { events?: unknown } | undefined;
    const count = Array.isArray(body?.events) ? body.events.length : 0;
    if ((ctx.request.length ?? 0) > MAX_EVENTS_BYTES || count > MAX_EVENTS_PER_REQUEST) {
      throw new PayloadTooLargeError(
        `At most ${MAX_EVENTS_PER_REQUEST} events and ${MAX_EVENTS_BYTES / 1024} KiB per request`,
        { fields: [{ field: 'body.events', message: `at most ${MAX_EVENTS_PER_REQUEST} events` }] },
      );
    }
    await next();
  });

  route(
    {
      method: 'post',
      path: '/api/events',
      summary: `Record up to ${MAX_EVENTS_PER_REQUEST} interaction events (the storefront's beacon)`,
      tags: ['recommendations'],
      auth: 'public',
      body: EventBatchSchema,
      responses: { 202: { description: 'Queued', schema: EventBatchResultSchema } },
    },
    async (ctx, { body }) => {
      const unknown: FieldIssue[] = [];
      for (const [k, e] of body.events.entries()) {
        if (e.productId && !(await core.listings.getListing(e.productId)))
          unknown.push({ field: `body.events.${k}.productId`, message: 'no such product' });
      }
      if (unknown.length) throw new ValidationError(unknown);
      const actor = recsActor(ctx, recs, { create: true })!;
      await deps.recsLimiter.consume(actor, body.events.length);
      // The store is behind: tell the beacon to come back (it keeps its events) rather than drop them.
      if (!recs.acceptsClientEvents())
        throw new TooManyRequestsError('Busy recording events; try again shortly', 2);
      let accepted = 0;
      let duplicates = 0;
      for (const e of body.events) {
        const outcome = recs.record(actor, {
          type: e.type,
          itemId: e.productId,
          q: e.q,
          at: e.at,
          clientId: e.id,
        });
        if (outcome === 'queued') accepted++;
        else if (outcome === 'duplicate') duplicates++;
      }
      ctx.status = 202;
      ctx.body = { accepted, duplicates };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/rankings/hot',
      summary: 'Hot now: time-decayed popularity, global or per category (with sub-categories) or seller',
      tags: ['recommendations'],
      auth: 'public',
      query: HotQuerySchema,
      responses: { 200: { description: 'Products, hottest first', schema: RecommendedListSchema } },
    },
    async (ctx, { query }) => {
      // Cached on the server (Redis when configured); browsers ask again, so the list stays live.
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = {
        items: await recs.hot({
          limit: query.limit,
          categoryId: query.category,
          sellerId: query.seller,
          trending: query.trending,
        }),
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/products/:id/similar',
      summary: 'Products viewed with this one (content-similar ones for new products)',
      tags: ['recommendations'],
      auth: 'public',
      params: ProductParams,
      query: LimitQuerySchema,
      responses: { 200: { description: 'Similar products', schema: RecommendedListSchema } },
    },
    async (ctx, { params, query }) => {
      await requireListed(params.id);
      ctx.body = { items: await recs.similar(params.id, query.limit) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/products/:id/bought-together',
      summary: 'Products bought by the same shoppers',
      tags: ['recommendations'],
      auth: 'public',
      params: ProductParams,
      query: LimitQuerySchema,
      responses: { 200: { description: 'Bought together', schema: RecommendedListSchema } },
    },
    async (ctx, { params, query }) => {
      await requireListed(params.id);
      ctx.body = { items: await recs.boughtTogether(params.id, query.limit) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/recs/feed',
      summary: 'The home feed: personal for a shopper or visitor with history, hot rankings otherwise',
      tags: ['recommendations'],
      auth: 'public',
      query: LimitQuerySchema,
      responses: { 200: { description: 'The feed', schema: FeedSchema } },
    },
    async (ctx, { query }) => {
      const actor = recsActor(ctx, recs, { create: false });
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = actor
        ? await recs.feed(actor, query.limit)
        : { personal: false, items: await recs.hot({ limit: query.limit }), becauseYouViewed: null };
    },
  );

  const profileResponse = { 200: { description: 'The profile', schema: ProfileSchema } };

  async function ownProfile(ctx: AppContext, user: User) {
    recsActor(ctx, recs, { create: false });
    ctx.set('Cache-Control', 'private, no-store');
    return recs.profile(user.id);
  }

  route(
    {
      method: 'get',
      path: '/api/me/profile',
      summary: 'Your shopping profile: affinities, recently viewed, purchases, and why you see what you see',
      tags: ['recommendations'],
      auth: 'session',
      responses: profileResponse,
    },
    async (ctx, { user }) => {
      ctx.body = await ownProfile(ctx, user);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/me/profile',
      summary: 'Reset your profile: forgotten at once, stored events erased in the background',
      tags: ['recommendations'],
      auth: 'session',
      responses: { 200: { description: 'Reset', schema: ProfileResetSchema } },
    },
    async (ctx, { user }) => {
      const { eraseJobId } = await recs.reset(user.id);
      ctx.body = { reset: true, eraseJobId };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/users/:id/profile',
      summary: "A shopper's profile (admins)",
      tags: ['recommendations'],
      auth: { roles: ['admin'] },
      params: z.object({ id: IdParam }),
      responses: profileResponse,
    },
    async (ctx, { params }) => {
      if (!(await core.users.getUser(params.id))) throw new NotFoundError('User');
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = await recs.profile(params.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/recs/status',
      summary: 'Recommender processes: load progress, events, buffer; the last rebuild (admins)',
      tags: ['recommendations'],
      auth: { roles: ['admin'] },
      responses: { 200: { description: 'Status', schema: RecsStatusSchema } },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await recs.status();
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/recs/rebuild',
      summary: 'Rebuild every process’s recommender from the event store (a durable job; admins)',
      tags: ['recommendations'],
      auth: { roles: ['admin'] },
      responses: {
        202: { description: 'Enqueued', schema: RecsRebuildJobSchema },
      },
    },
    async (ctx) => {
      const job = await recs.requestRebuild();
      ctx.status = 202;
      ctx.body = { jobId: job.id, status: job.status };
    },
  );
}
