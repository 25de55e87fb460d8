import { AppError, ServiceUnavailableError, isStoreUnreachableError, type FieldIssue } from '@market/core';
import type { Logger } from '@market/core';
import type { Middleware } from 'koa';
import { STORE_RETRY_AFTER_SECONDS } from './store-guard';

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldIssue[]; [key: string]: unknown };
}

/**
 * The one place errors become HTTP responses, all in the same JSON shape. Typed AppErrors carry their
 * status; errors from Koa's own stack (body parser: 400/413/415) carry `status` and `expose`; anything
 * else is a bug, logged with its stack and answered with a bare 500.
 */
export function errorHandler(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        ctx.status = 404;
        ctx.body = {
          error: { code: 'not_found', message: `No route for ${ctx.method} ${ctx.path}` },
        } satisfies ErrorBody;
      }
    } catch (caught) {
      // A request already under way when the store went away: the same answer as the store guard's.
      const storeGone = isStoreUnreachableError(caught) && !(caught instanceof AppError);
      if (storeGone)
        log.warn({ err: caught, method: ctx.method, path: ctx.path }, 'store unreachable mid-request');
      const err = storeGone
        ? new ServiceUnavailableError(
            'The marketplace cannot reach its database right now; try again in a few seconds',
            STORE_RETRY_AFTER_SECONDS,
          )
        : caught;
      if (err instanceof AppError) {
        ctx.status = err.status;
        const { fields, ...rest } = err.details;
        ctx.body = {
          error: { code: err.code, message: err.message, ...(fields && { fields }), ...rest },
        } satisfies ErrorBody;
        if ('retryAfterSeconds' in err) ctx.set('Retry-After', String(err.retryAfterSeconds));
        return;
      }
      const e = err as {
        status?: number;
        statusCode?: number;
        expose?: boolean;
        message?: string;
        type?: string;
      };
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 400 && status < 500 && e.expose !== false) {
        ctx.status = status;
        const code =
          { 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type' }[status] ??
          'bad_request';
        const message =
          e.type === 'entity.parse.failed'
            ? 'The request body is not valid JSON'
            : (e.message ?? 'Bad request');
        const fields = status === 405 ? undefined : [{ field: 'body', message }];
        ctx.body = { error: { code, message, ...(fields && { fields }) } } satisfies ErrorBody;
        return;
      }
      log.error({ err, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = {
        error: { code: 'internal', message: 'Something went wrong on our side' },
      } satisfies ErrorBody;
    }
  };
}
