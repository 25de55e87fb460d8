import { z } from 'zod';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '@market/core';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam, ImportJobListSchema, ImportJobSchema, SellerProductPageSchema } from '../schemas';
import type { WebDeps } from '../web-deps';

const SellerListQuery = z
  .object({
    limit: queryInt(1, 100, 50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

function safeFileName(header: string): string {
  let name = header || 'import.csv';
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep it as sent
  }
  return name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
}

export function sellerRoutes(route: RouteDefiner, { core, config }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/seller/products',
      summary: "Your shop's products with stock, newest first",
      tags: ['seller'],
      auth: { roles: ['seller'] },
      query: SellerListQuery,
      responses: { 200: { description: 'A page of products', schema: SellerProductPageSchema } },
    },
    async (ctx, { query, user }) => {
      if (!user.shopId) {
        ctx.body = { items: [], nextCursor: null };
        return;
      }
      const page = core.listings.queryIds({
        shopId: user.shopId,
        // Their own products whether on sale or not (a pending shop, a takedown: the page says why).
        includeHidden: true,
        sort: 'newest',
        limit: query.limit,
        cursor: query.cursor,
      });
      ctx.body = {
        items: await Promise.all(page.ids.map((id) => core.productViews.productDetail(id))),
        nextCursor: page.nextCursor,
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/imports/template.csv',
      summary: 'A CSV template for product imports',
      tags: ['seller'],
      auth: 'public',
      responses: { 200: { description: 'CSV template', schema: z.string(), contentType: 'text/csv' } },
    },
    async (ctx) => {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('product-import-template.csv');
      ctx.body = await core.imports.template();
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/imports',
      summary: 'Upload a product CSV; rows are applied by a background job',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      body: z.string().min(1, 'the file is empty'),
      bodyType: 'text/csv',
      responses: { 202: { description: 'Import queued', schema: ImportJobSchema } },
    },
    async (ctx, { body, user }) => {
      if (!ctx.is('text/csv', 'text/plain', 'application/csv'))
        throw new UnsupportedMediaTypeError('Send the file as text/csv');
      const content = Buffer.from(body, 'utf8');
      if (content.length > config.limits.csvBytes) throw new PayloadTooLargeError('The file is too large');
      const fileName = safeFileName(ctx.get('x-file-name'));
      ctx.status = 202;
      ctx.body = await core.imports.createImport(actorOf(user), { name: fileName, content });
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/imports',
      summary: 'Your recent imports',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      responses: { 200: { description: 'Imports', schema: ImportJobListSchema } },
    },
    async (ctx, { user }) => {
      ctx.body = { items: await core.imports.listImports(actorOf(user)) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/imports/:id',
      summary: 'One import with its progress and row errors',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: z.object({ id: IdParam }),
      responses: { 200: { description: 'The import', schema: ImportJobSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.imports.getImport(actorOf(user), params.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/imports/:id/errors.csv',
      summary:
        "One import's row errors as CSV (line, column, error); cells a spreadsheet would run as formulas are neutralised",
      tags: ['seller'],
      auth: { roles: ['seller'] },
      params: z.object({ id: IdParam }),
      responses: { 200: { description: 'The error report', schema: z.string(), contentType: 'text/csv' } },
    },
    async (ctx, { params, user }) => {
      const report = await core.imports.errorReport(actorOf(user), params.id);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(report.fileName);
      ctx.body = report.csv;
    },
  );
}
