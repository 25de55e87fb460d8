import { z } from 'zod';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam } from '../schemas';
import {
  HideInputSchema,
  ReplyInputSchema,
  ReviewableListSchema,
  ReviewIdParam,
  ReviewInputSchema,
  ReviewPageSchema,
  ReviewSchema,
  SupportReviewPageSchema,
  SupportReviewSchema,
} from '../schemas-reviews';
import type { WebDeps } from '../web-deps';

const PageQuery = z.object({ cursor: z.string().max(500).optional(), limit: queryInt(1, 50, 10) }).strict();

const SupportQuery = z
  .object({
    hidden: z
      .enum(['true', 'false'], 'true or false')
      .transform((v) => v === 'true')
      .optional(),
    cursor: z.string().max(500).optional(),
    limit: queryInt(1, 200, 50),
  })
  .strict();

const ReviewableQuery = z.object({ orderId: IdParam.optional() }).strict();

const byProduct = { params: z.object({ id: IdParam }) };
const byReview = { params: z.object({ id: ReviewIdParam }) };

export function reviewRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/products/:id/reviews',
      summary:
        "A product's rating summary and reviews, newest first (your own hidden review included, and every review for support)",
      tags: ['reviews'],
      auth: 'public',
      ...byProduct,
      query: PageQuery,
      responses: { 200: { description: 'Summary and a page of reviews', schema: ReviewPageSchema } },
    },
    async (ctx, { params, query, user }) => {
      // Not cached: what a viewer sees depends on who they are, and changes as soon as they post.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.reviews.list(params.id, {
        viewer: user ? actorOf(user) : null,
        cursor: query.cursor,
        limit: query.limit,
      });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/products/:id/reviews',
      summary:
        'Review a product of one of your delivered or completed orders (once per product; 409 for a second review)',
      tags: ['reviews'],
      auth: 'session',
      ...byProduct,
      body: ReviewInputSchema,
      responses: { 201: { description: 'The review', schema: ReviewSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.status = 201;
      ctx.body = await core.reviews.create(actorOf(user), params.id, body);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/reviews/:id/reply',
      summary: "The product's seller replies to a review, or edits the reply",
      tags: ['reviews', 'seller'],
      auth: { roles: ['seller'] },
      ...byReview,
      body: ReplyInputSchema,
      responses: { 200: { description: 'The review with its reply', schema: ReviewSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = await core.reviews.reply(actorOf(user), params.id, body.body);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/reviews/:id/hide',
      summary: "Support hides a review from the product's page and rating, saying why",
      tags: ['reviews', 'support'],
      auth: { roles: ['support'] },
      ...byReview,
      body: HideInputSchema,
      responses: { 200: { description: 'The hidden review', schema: SupportReviewSchema } },
    },
    async (ctx, { params, body, user }) => {
      const review = await core.reviews.hide(actorOf(user), params.id, body.reason);
      await core.audit.record({
        actor: user,
        action: 'review.hidden',
        target: { type: 'review', id: params.id },
        before: { hidden: false },
        after: { hidden: true },
        reason: body.reason,
      });
      ctx.body = review;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/reviews/:id/unhide',
      summary: 'Support shows a hidden review again',
      tags: ['reviews', 'support'],
      auth: { roles: ['support'] },
      ...byReview,
      responses: { 200: { description: 'The review', schema: SupportReviewSchema } },
    },
    async (ctx, { params, user }) => {
      const review = await core.reviews.unhide(actorOf(user), params.id);
      await core.audit.record({
        actor: user,
        action: 'review.restored',
        target: { type: 'review', id: params.id },
        before: { hidden: true },
        after: { hidden: false },
      });
      ctx.body = review;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/me/reviewable',
      summary:
        'Products you received (delivered or completed orders) and have not reviewed yet, optionally of one order',
      tags: ['reviews'],
      auth: 'session',
      query: ReviewableQuery,
      responses: {
        200: { description: 'Products', schema: ReviewableListSchema },
      },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.reviews.reviewable(actorOf(user), { orderId: query.orderId }) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/reviews',
      summary: 'Support: the latest reviews, hidden ones included (hidden=true|false to filter)',
      tags: ['reviews', 'support'],
      auth: { roles: ['support'] },
      query: SupportQuery,
      responses: {
        200: { description: 'A page of reviews', schema: SupportReviewPageSchema },
      },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.reviews.listRecent(actorOf(user), query);
    },
  );
}
