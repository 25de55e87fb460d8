import type { Context } from 'koa';

/**
 * Answers 200 with the JSON `null` (for a route documented as "X or null"). Koa turns `ctx.body = null`
 * into 204 No Content with no body, which is neither the documented status nor JSON, so the literal is
 * written as the body with the JSON type.
 */
export function sendJsonNull(ctx: Pick<Context, 'status' | 'type' | 'body'>): void {
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = 'null';
}
