import type { RouteDefiner } from '../http/route';
import type { WebDeps } from '../web-deps';
import { AuditPageSchema, AuditQuery } from './admin-schemas';
import { namesOf } from './admin-people';

/**
 * The audit log, read-only and admin-only: there is no route that changes or deletes a line (a PATCH or
 * DELETE here answers 405/404), and the service has no such method either.
 */
export function adminAuditRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/admin/audit',
      summary: 'Staff actions, newest first, filtered by actor, action, target and time',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      query: AuditQuery,
      responses: { 200: { description: 'A page of the audit log', schema: AuditPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.audit.list(
        {
          actorId: query.actorId,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        { limit: query.limit, cursor: query.cursor },
      );
      const names = await namesOf(
        core,
        page.items.map((e) => e.actor.id),
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        items: page.items.map((e) => ({
          ...e,
          actor: { ...e.actor, name: names.get(e.actor.id) ?? '' },
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
}
