import { NotFoundError, type FavouriteAlert, type FavouriteKind } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import {
  FavouriteAlertListSchema,
  FavouriteKindParam,
  FavouritePageSchema,
  FavouriteStateSchema,
} from './accounts-schemas';
import type { WebDeps } from '../web-deps';

const Target = z.object({ kind: FavouriteKindParam, id: IdParam });

/** Favourites (收藏) of products and shops, their counts, and the price-drop / restock alerts. */
export function favouriteRoutes(route: RouteDefiner, { core }: WebDeps) {
  /** A target must exist to be favourited: a listed product or a shop. */
  async function exists(kind: FavouriteKind, id: string): Promise<boolean> {
    return kind === 'product'
      ? (await core.catalog.getProduct(id)) !== null
      : (await core.shops.getShop(id)) !== null;
  }

  async function state(userId: string | null, kind: FavouriteKind, id: string) {
    const [count, mine] = await Promise.all([
      core.favourites.count(kind, id),
      userId ? core.favourites.contains(userId, kind, [id]) : Promise.resolve([]),
    ]);
    return { kind, targetId: id, favourited: mine.length > 0, count };
  }

  route(
    {
      method: 'get',
      path: '/api/favourites/:kind/:id',
      summary: 'How many shoppers favourited a product or shop, and whether you did',
      tags: ['favourites'],
      auth: 'public',
      params: Target,
      responses: { 200: { description: 'The favourite state', schema: FavouriteStateSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await state(user?.id ?? null, params.kind, params.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/me/favourites/:kind/:id',
      summary: 'Favourite a product or shop (idempotent)',
      tags: ['favourites'],
      auth: 'session',
      params: Target,
      responses: { 200: { description: 'The favourite state', schema: FavouriteStateSchema } },
    },
    async (ctx, { params, user }) => {
      if (!(await exists(params.kind, params.id)))
        throw new NotFoundError(params.kind === 'product' ? 'Product' : 'Shop');
      await core.favourites.add(user.id, params.kind, params.id);
      ctx.body = await state(user.id, params.kind, params.id);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/me/favourites/:kind/:id',
      summary: 'Stop favouriting a product or shop (idempotent)',
      tags: ['favourites'],
      auth: 'session',
      params: Target,
      responses: { 200: { description: 'The favourite state', schema: FavouriteStateSchema } },
    },
    async (ctx, { params, user }) => {
      await core.favourites.remove(user.id, params.kind, params.id);
      ctx.body = await state(user.id, params.kind, params.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/me/favourites',
      summary:
        'Your favourites of one kind, newest first (products with their current card and latest price drop)',
      tags: ['favourites'],
      auth: 'session',
      query: z
        .object({
          kind: FavouriteKindParam.default('product'),
          limit: z.coerce.number().int().min(1).max(100).default(24),
          cursor: z.string().max(300).optional(),
        })
        .strict(),
      responses: { 200: { description: 'A page of favourites', schema: FavouritePageSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const page = await core.favourites.list(user.id, query.kind, {
        limit: query.limit,
        cursor: query.cursor,
      });
      const ids = page.items.map((f) => f.targetId);
      const cards = new Map(query.kind === 'product' ? core.listings.cards(ids).map((c) => [c.id, c]) : []);
      const shops =
        query.kind === 'shop'
          ? await Promise.all(ids.map((id) => core.shops.getShop(id)))
          : ids.map(() => null);
      // The newest drop per product among the shopper's recent alerts.
      const drops = new Map<string, Extract<FavouriteAlert, { type: 'price_dropped' }>>();
      if (query.kind === 'product')
        for (const alert of await core.favourites.alerts(user.id, 100))
          if (alert.type === 'price_dropped' && !drops.has(alert.productId))
            drops.set(alert.productId, alert);
      ctx.body = {
        items: page.items.map((f, i) => {
          const shop = shops[i];
          return {
            ...f,
            product: cards.get(f.targetId) ?? null,
            shop: shop
              ? { id: shop.id, name: shop.name, nameZh: shop.nameZh, slug: shop.slug, city: shop.city }
              : null,
            priceDrop: drops.get(f.targetId) ?? null,
          };
        }),
        nextCursor: page.nextCursor,
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/me/favourites/alerts',
      summary: 'Your latest "price dropped" and "back in stock" alerts for favourited products',
      tags: ['favourites'],
      auth: 'session',
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }).strict(),
      responses: { 200: { description: 'Alerts, newest first', schema: FavouriteAlertListSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.favourites.alerts(user.id, query.limit) };
    },
  );
}
