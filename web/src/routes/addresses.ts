import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import { AddressBookSchema, AddressInputSchema, SavedAddressSchema } from './accounts-schemas';
import type { WebDeps } from '../web-deps';

const AddressId = z.object({ id: IdParam });

/** The shopper's address book (`/api/me/addresses`): only its owner can read or change it. */
export function addressRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/me/addresses',
      summary: 'Your saved addresses, the default first',
      tags: ['addresses'],
      auth: 'session',
      responses: { 200: { description: 'The address book', schema: AddressBookSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.addresses.list(user.id);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/me/addresses',
      summary: 'Save an address (the first one, or one with makeDefault, becomes the default)',
      tags: ['addresses'],
      auth: 'session',
      body: AddressInputSchema,
      responses: { 201: { description: 'The saved address', schema: SavedAddressSchema } },
    },
    async (ctx, { body, user }) => {
      const { makeDefault, ...address } = body;
      ctx.status = 201;
      ctx.body = await core.addresses.add(user.id, address, { makeDefault });
    },
  );

  route(
    {
      method: 'put',
      path: '/api/me/addresses/:id',
      summary: 'Change a saved address (orders already placed keep their copy)',
      tags: ['addresses'],
      auth: 'session',
      params: AddressId,
      body: AddressInputSchema,
      responses: { 200: { description: 'The changed address', schema: SavedAddressSchema } },
    },
    async (ctx, { params, body, user }) => {
      const { makeDefault, ...address } = body;
      ctx.body = await core.addresses.update(user.id, params.id, address, { makeDefault });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/me/addresses/:id/default',
      summary: 'Make a saved address the default',
      tags: ['addresses'],
      auth: 'session',
      params: AddressId,
      responses: { 200: { description: 'The address book', schema: AddressBookSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.body = await core.addresses.makeDefault(user.id, params.id);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/me/addresses/:id',
      summary: 'Delete a saved address (the newest other one becomes the default if it was)',
      tags: ['addresses'],
      auth: 'session',
      params: AddressId,
      responses: { 200: { description: 'The address book', schema: AddressBookSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.body = await core.addresses.remove(user.id, params.id);
    },
  );
}
