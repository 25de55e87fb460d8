import { createPromotionViews } from '../storefront/promotion-views';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { NotFoundError } from '@market/core';
import { actorOf, hasRole } from '../http/session';
import { recsActor } from '../recs/actor';
import {
  CategoryListSchema,
  IdParam,
  ListingQuerySchema,
  ProductDetailSchema,
  ProductPageSchema,
  ProductInputSchema,
  ProductPatchSchema,
  SkuParam,
  StockInputSchema,
  StockLevelSchema,
  VariantInputSchema,
  VariantPatchSchema,
} from '../schemas';
import type { WebDeps } from '../web-deps';
import { categoryListItem, listingQueryOf } from '../storefront/reads';

const ProductParams = z.object({ id: IdParam });
const VariantParams = z.object({ id: IdParam, sku: SkuParam });

export function catalogRoutes(route: RouteDefiner, { core, recs }: WebDeps) {
  const promotionViews = createPromotionViews(core);
  route(
    {
      method: 'get',
      path: '/api/categories',
      summary: 'The category tree, depth-first',
      tags: ['catalog'],
      auth: 'public',
      responses: { 200: { description: 'Categories', schema: CategoryListSchema } },
    },
    async (ctx) => {
      const items = await core.categories.list();
      ctx.set('Cache-Control', 'public, max-age=60');
      ctx.body = { items: items.map(categoryListItem) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/products',
      summary: 'List products with filters, sort and cursor pagination',
      tags: ['catalog'],
      auth: 'public',
      query: ListingQuerySchema,
      responses: { 200: { description: 'A page of products', schema: ProductPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.listings.query(listingQueryOf(query));
      ctx.body = { ...page, items: await promotionViews.cards(page.items) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/products/:id',
      summary: 'One product with its variants and live stock',
      tags: ['catalog'],
      auth: 'public',
      params: ProductParams,
      query: z.object({
        view: z
          .enum(['1'])
          .optional()
          .describe('1: a shopper opened the product page (recorded for recommendations)'),
      }),
      responses: { 200: { description: 'The product', schema: ProductDetailSchema } },
    },
    async (ctx, { params, query, user }) => {
      const detail = await core.productViews.productDetail(params.id);
      // Off sale (taken down, shop pending or suspended): only its seller and staff still see it.
      const insider = user && (user.id === detail.sellerId || hasRole(user, ['support']));
      if (detail.hiddenBecause && !insider) throw new NotFoundError('Product');
      ctx.body = { ...detail, promotion: await promotionViews.product(detail) };
      // Only page views count: the same read also refreshes stock on cards, which is not interest.
      if (query.view)
        recs.record(recsActor(ctx, recs, { create: true })!, { type: 'view', itemId: params.id });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/products',
      summary: 'Create a product in your shop, with its variants and initial stock',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      body: ProductInputSchema,
      responses: { 201: { description: 'Created', schema: ProductDetailSchema } },
    },
    async (ctx, { body, user }) => {
      const product = await core.sellerProducts.createProductWithStock(actorOf(user), body);
      ctx.status = 201;
      ctx.body = await core.productViews.productDetail(product.id);
    },
  );

  route(
    {
      method: 'patch',
      path: '/api/products/:id',
      summary: "Change a product's details",
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      body: ProductPatchSchema,
      responses: { 200: { description: 'Updated', schema: ProductDetailSchema } },
    },
    async (ctx, { params, body, user }) => {
      await core.catalog.updateProduct(actorOf(user), params.id, body);
      ctx.body = await core.productViews.productDetail(params.id);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/products/:id',
      summary: 'Remove a product from sale',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx, { params, user }) => {
      await core.catalog.deleteProduct(actorOf(user), params.id);
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/products/:id/variants',
      summary: 'Add a variant',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      body: VariantInputSchema,
      responses: { 201: { description: 'Added', schema: ProductDetailSchema } },
    },
    async (ctx, { params, body, user }) => {
      const actor = actorOf(user);
      const product = await core.catalog.addVariant(actor, params.id, body);
      if (body.stock !== undefined)
        await core.sellerProducts.setVariantStock(actor, product.id, body.sku, body.stock);
      ctx.status = 201;
      ctx.body = await core.productViews.productDetail(params.id);
    },
  );

  route(
    {
      method: 'patch',
      path: '/api/products/:id/variants/:sku',
      summary: 'Change a variant (title, price, attributes, images)',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: VariantParams,
      body: VariantPatchSchema,
      responses: { 200: { description: 'Updated', schema: ProductDetailSchema } },
    },
    async (ctx, { params, body, user }) => {
      await core.catalog.updateVariant(actorOf(user), params.id, params.sku, body);
      ctx.body = await core.productViews.productDetail(params.id);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/products/:id/variants/:sku',
      summary: 'Remove a variant',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: VariantParams,
      responses: { 200: { description: 'Removed', schema: ProductDetailSchema } },
    },
    async (ctx, { params, user }) => {
      await core.catalog.removeVariant(actorOf(user), params.id, params.sku);
      ctx.body = await core.productViews.productDetail(params.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/products/:id/variants/:sku/stock',
      summary: 'Set the available stock of a variant',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: VariantParams,
      body: StockInputSchema,
      responses: { 200: { description: 'The new stock level', schema: StockLevelSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = await core.sellerProducts.setVariantStock(
        actorOf(user),
        params.id,
        params.sku,
        body.available,
      );
    },
  );
}
