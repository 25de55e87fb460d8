import { NotFoundError } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { requiredText } from '../http/text';
import { IdParam } from '../schemas';
import { AccountAccessSchema } from './admin-users-schemas';
import { accountView } from './admin-people';
import { UnblockInputSchema } from './admin-schemas';
import type { WebDeps } from '../web-deps';

/** Longest block reason: a sentence or two for the audit trail, not a case file. */
export const BLOCK_REASON_MAX = 500;

const BlockSchema = z
  .object({
    reason: requiredText(BLOCK_REASON_MAX, 'say why (at least 3 characters)', 3),
  })
  .strict()
  .meta({ id: 'BlockInput' });

/**
 * Admin actions on accounts: see one, block it (no login, every session and socket ended at once), unblock
 * it; both audited (`core.staff`). Search, the person page and roles are in `admin-people.ts`.
 */
export function adminUserRoutes(route: RouteDefiner, { core }: WebDeps) {
  const params = z.object({ id: IdParam });

  route(
    {
      method: 'get',
      path: '/api/admin/users/:id',
      summary: 'An account and whether it is blocked',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      responses: { 200: { description: 'The account', schema: AccountAccessSchema } },
    },
    async (ctx, { params }) => {
      const access = await core.users.getAccess(params.id);
      if (!access) throw new NotFoundError('User');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = accountView(access);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/users/:id/block',
      summary:
        'Block an account: its sessions end at once (their sockets disconnect on every node), it can no longer log in, and a seller’s shop leaves the storefront',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: BlockSchema,
      responses: { 200: { description: 'Blocked', schema: AccountAccessSchema } },
    },
    async (ctx, { params, body, user: admin }) => {
      ctx.body = accountView(await core.staff.blockUser(admin, params.id, body.reason));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/users/:id/unblock',
      summary: 'Unblock an account: it may log in again (a seller’s shop shows again)',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: UnblockInputSchema.optional(),
      responses: { 200: { description: 'Unblocked', schema: AccountAccessSchema } },
    },
    async (ctx, { params, body, user: admin }) => {
      ctx.body = accountView(await core.staff.unblockUser(admin, params.id, body?.reason ?? null));
    },
  );
}
