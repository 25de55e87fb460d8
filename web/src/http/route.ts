import type Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { DefaultContext, ParameterizedContext } from 'koa';
import { z } from 'zod';
import { parsePart } from './validate';
import type { SessionState } from './session';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type Responses = Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;

export interface RouteSpec<
  B extends z.ZodType,
  Q extends z.ZodType,
  P extends z.ZodType,
  R extends Responses = Responses,
> {
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
  /**
   * Success status → description and optional schema. A JSON schema here is the wire type of the
   * response (`web/src/wire`): the handler's `ctx.body` is type-checked against it.
   */
  responses: R;
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
 * What a handler may put in `ctx.body` so that the JSON sent is `T`: the same shape, except that a
 * `Date` may stand where `T` has a string, because JSON.stringify writes it as its ISO string. This is
 * the one place where the server's types (dates as `Date`) meet the wire's (dates as strings).
 */
export type JsonSource<T> = T extends string
  ? T | Date
  : T extends readonly (infer U)[]
    ? readonly JsonSource<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSource<T[K]> }
      : T;

/** The bodies a route may answer with: a declared JSON response, or the one error shape. */
type ResponseBody<R extends Responses> =
  | {
      [S in keyof R]: R[S] extends { contentType: string }
        ? unknown
        : R[S] extends { schema: infer Z extends z.ZodType }
          ? JsonSource<z.output<Z>>
          : S extends 204
            ? undefined
            : unknown;
    }[keyof R]
  | z.output<typeof ErrorSchema>;

/** A handler's context: the app's, with `ctx.body` typed by the route's declared responses. */
export type RouteContext<R extends Responses = Responses> = ParameterizedContext<
  SessionState,
  DefaultContext,
  ResponseBody<R>
>;

/**
 * Declares a route once: the router gets a handler that receives validated input, and the OpenAPI
 * registry gets the same schemas, so the document cannot drift from what the server enforces. The
 * handler's `ctx.body` is type-checked against the declared response schemas, which are also the wire
 * types the Svelte app and the tests import (`web/src/wire`).
 */
export function createRouteDefiner(router: Router, registry: OpenAPIRegistry) {
  return function route<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodObject<Record<string, never>>,
    P extends z.ZodType = z.ZodObject<Record<string, never>>,
    R extends Responses = Responses,
  >(
    spec: RouteSpec<B, Q, P, R>,
    handler: (ctx: RouteContext<R>, input: Parsed<z.output<B>, z.output<Q>, z.output<P>>) => Promise<void>,
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
      const c = ctx as unknown as RouteContext<R>;
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
