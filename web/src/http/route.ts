import type Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { parsePart } from './validate';
import type { AppContext } from './session';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  /** Koa-style path, e.g. `/api/products/:id`. */
  path: string;
  summary: string;
  tags: string[];
  /** Documented only; enforcement is in the handler via requireUser / requireRole. */
  auth?: 'session' | 'seller' | 'admin';
  body?: B;
  bodyType?: 'application/json' | 'text/csv';
  query?: Q;
  params?: P;
  /** Success status → description and optional schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export interface Parsed<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

/**
 * Declares a route once: the router gets a handler that receives validated input, and the OpenAPI
 * registry gets the same schemas, so the document cannot drift from what the server enforces.
 */
export function createRouteDefiner(router: Router, registry: OpenAPIRegistry) {
  return function route<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodObject<Record<string, never>>,
    P extends z.ZodType = z.ZodObject<Record<string, never>>,
  >(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: AppContext, input: Parsed<z.output<B>, z.output<Q>, z.output<P>>) => Promise<void>,
  ) {
    const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
    const errorResponses: RouteConfig['responses'] = {};
    for (const status of [400, 401, 403, 404, 409, 413, 422, 429, 503]) {
      errorResponses[status] = {
        description: 'Error',
        content: { 'application/json': { schema: ErrorSchema } },
      };
    }
    registry.registerPath({
      method: spec.method,
      path: openApiPath,
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.auth && { security: [{ session: [] }] }),
      request: {
        ...(spec.params && { params: spec.params as unknown as z.ZodObject }),
        ...(spec.query && { query: spec.query as unknown as z.ZodObject }),
        ...(spec.body && {
          body: { required: true, content: { [spec.bodyType ?? 'application/json']: { schema: spec.body } } },
        }),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.schema && { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }),
            },
          ]),
        ),
        ...errorResponses,
      },
    });

    router[spec.method](spec.path, async (ctx) => {
      const c = ctx as unknown as AppContext;
      const input = {
        params: parsePart('params', spec.params ?? z.object({}).loose(), ctx.params),
        query: parsePart('query', spec.query ?? z.object({}).loose(), { ...ctx.query }),
        body: spec.body ? parsePart('body', spec.body, ctx.request.body) : undefined,
      } as Parsed<z.output<B>, z.output<Q>, z.output<P>>;
      await handler(c, input);
    });
  };
}

export type RouteDefiner = ReturnType<typeof createRouteDefiner>;
