import { z } from 'zod';
import { REVIEW_NOTE_MAX } from '@market/core';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import { PhotoReviewQueueSchema, PhotoSchema, ProductPhotosSchema } from './photos-schemas';
import { readPhotoUpload } from './photos-upload';

const ProductParams = z.object({ id: IdParam });
const PhotoParams = z.object({ photoId: IdParam });

/** Seller photo uploads and management, and support's review queue. Variants are served by media.ts. */
export function photoRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'post',
      path: '/api/seller/products/:id/photos',
      summary:
        'Upload a product photo (multipart/form-data, field "file": JPEG, PNG, WebP or AVIF); the check runs as a background job and its verdict arrives as `photo.checked`',
      tags: ['photos'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      responses: { 202: { description: 'Stored; the check is queued', schema: PhotoSchema } },
    },
    async (ctx, { params, user }) => {
      const limits = core.photos.limits();
      const file = await readPhotoUpload(ctx, limits.maxBytes);
      ctx.status = 202;
      ctx.body = await core.photos.upload(actorOf(user), params.id, file);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/products/:id/photos',
      summary: "A product's photos in order, with each check's verdict, reasons and measurements",
      tags: ['photos'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      responses: { 200: { description: 'The photos', schema: ProductPhotosSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.photos.listForProduct(actorOf(user), params.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/seller/products/:id/photos/main',
      summary: "Choose the product's main image (it is re-checked against the main-image rules)",
      tags: ['photos'],
      auth: { roles: ['seller'] },
      params: ProductParams,
      body: z.object({ photoId: IdParam }).strict(),
      responses: { 200: { description: 'The photos', schema: ProductPhotosSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = await core.photos.setMain(actorOf(user), params.id, body.photoId);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/photos/:photoId',
      summary: 'One photo with its check',
      tags: ['photos'],
      auth: { roles: ['seller', 'support'] },
      params: PhotoParams,
      responses: { 200: { description: 'The photo', schema: PhotoSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.photos.get(actorOf(user), params.photoId);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/seller/photos/:photoId',
      summary: 'Delete a photo',
      tags: ['photos'],
      auth: { roles: ['seller'] },
      params: PhotoParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx, { params, user }) => {
      await core.photos.remove(actorOf(user), params.photoId);
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/photos/review',
      summary: 'Photos waiting for a decision, oldest first (support and admins)',
      tags: ['photos'],
      auth: { roles: ['support'] },
      responses: {
        200: { description: 'The queue', schema: PhotoReviewQueueSchema },
      },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.photos.reviewQueue(actorOf(user));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/support/photos/:photoId/review',
      summary: 'Approve (shoppers see it) or reject (they never do) a photo',
      tags: ['photos'],
      auth: { roles: ['support'] },
      params: PhotoParams,
      body: z
        .object({
          decision: z.enum(['approved', 'rejected']),
          note: z.string().trim().max(REVIEW_NOTE_MAX).default(''),
        })
        .strict(),
      responses: { 200: { description: 'The photo after the decision', schema: PhotoSchema } },
    },
    async (ctx, { params, body, user }) => {
      const photo = await core.photos.review(actorOf(user), params.photoId, body.decision, body.note);
      await core.audit.record({
        actor: user,
        action: `photo.${body.decision}`,
        target: { type: 'photo', id: params.photoId },
        after: { status: photo.status, public: photo.public },
        reason: body.note || null,
      });
      ctx.body = photo;
    },
  );
}
