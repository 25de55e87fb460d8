import type Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ForbiddenError, UnauthorizedError, type Role, type User } from '@market/core';
import type { DefaultContext, ParameterizedContext } from 'koa';
import { z } from 'zod';
import { owningRoutes } from './route-precedence';
import { parsePart } from './validate';
import { hasRole, type SessionState } from './session';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type Responses = Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;

/**
 * Who may call a route, enforced before its input is read:
 * - `'public'`: anyone; the handler still gets the signed-in user, if any (`User | null`), to personalise;
 * - `'session'`: a signed-in user (401 otherwise);
 * - `{ roles }`: a signed-in user with one of the roles (401 without a session, 403 without the role);
 *   admins have every role.
 * Whether the user may touch *this* order, product or photo is the domain's to say (core's services,
 * given `actorOf(user)`), not the route's.
 */
export type RouteAuth = 'public' | 'session' | { roles: readonly Role[] };

/** The user a route's handler gets: a signed-in one unless the route is public. */
export type UserFor<A extends RouteAuth> = A extends 'public' ? User | null : User;

/** A route as declared: what `tests/route-auth.test.ts` walks to refuse every caller the route refuses. */
export interface DeclaredRoute {
  method: Method;
  /** Koa-style path, e.g. `/api/products/:id`. */
  path: string;
  auth: RouteAuth;
}

export interface RouteSpec<
  B extends z.ZodType,
  Q extends z.ZodType,
  P extends z.ZodType,
  R extends Responses = Responses,
  A extends RouteAuth = RouteAuth,
  H extends z.ZodObject = z.ZodObject<Record<string, never>>,
> {
  method: Method;
  /** Koa-style path, e.g. `/api/products/:id`. */
  path: string;
  summary: string;
  tags: string[];
  auth: A;
  body?: B;
  bodyType?: 'application/json' | 'text/csv';
  query?: Q;
  params?: P;
  /**
   * Request headers the route reads, keyed by lower-case name (`'idempotency-key'`): documented as header
   * parameters and checked before the handler runs (400 naming the header). Other headers are ignored.
   */
  headers?: H;
  /**
   * Success status → description and optional schema. A JSON schema here is the wire type of the
   * response (`web/src/wire`): the handler's `ctx.body` is type-checked against it.
   */
  responses: R;
}

export interface Parsed<B, Q, P, U extends User | null = User | null, H = Record<string, never>> {
  body: B;
  query: Q;
  params: P;
  headers: H;
  /** Who is calling, as the route's `auth` admits them. */
  user: U;
}

/** The one error shape every route answers with. */
export const ErrorSchema = z
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

const rolesOf = (auth: RouteAuth) => (typeof auth === 'object' ? auth.roles : null);
const roleList = (roles: readonly Role[]) => roles.join(' or ');

/** The user `auth` admits, or the refusal: 401 without a session, 403 without one of its roles. */
export function authorize(user: User | null, auth: RouteAuth): User | null {
  if (auth === 'public') return user;
  if (!user) throw new UnauthorizedError();
  const roles = rolesOf(auth);
  if (roles && !hasRole(user, roles)) throw new ForbiddenError(`This needs the ${roleList(roles)} role`);
  return user;
}

/** The OpenAPI side of `auth`: the session scheme, who may call, and 401/403 only where they can happen. */
function documentedAuth(method: Method, auth: RouteAuth) {
  const roles = rolesOf(auth);
  const who =
    auth === 'public'
      ? undefined
      : roles
        ? `Needs a session with the ${roleList(roles)} role (admins have every role).`
        : 'Needs a session.';
  // 403 besides a role: a write refused by the CSRF and origin checks, or a domain check (this seller's
  // product, this buyer's order) on any route that knows who is calling.
  const forbidden = roles
    ? `Without the ${roleList(roles)} role, or not yours`
    : auth === 'session'
      ? 'Not yours'
      : method !== 'get'
        ? 'Refused by the CSRF or origin check'
        : undefined;
  return {
    ...(who && { description: who, security: [{ session: [], sessionSignature: [] }] }),
    errors: {
      ...(auth !== 'public' && { 401: 'No session: log in first' }),
      ...(forbidden && { 403: forbidden }),
    } as Record<number, string>,
  };
}

/** The request's values of the headers a route declares (absent ones left out, so that "required" can say so). */
function declaredHeaders(ctx: { get(name: string): string }, schema: z.ZodObject): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = ctx.get(name);
    if (value) values[name] = value;
  }
  return values;
}

/**
 * Declares a route once: the router gets a handler that receives validated input and the caller its
 * `auth` admits (refused before the input is read, so an anonymous caller learns nothing about
 * validation), and the OpenAPI registry gets the same schemas and rule, so the document cannot drift from
 * what the server enforces. The handler's `ctx.body` is type-checked against the declared response
 * schemas, which are also the wire types the Svelte app and the tests import (`web/src/wire`).
 */
export function createRouteDefiner(router: Router, registry: OpenAPIRegistry) {
  const declared: DeclaredRoute[] = [];
  function route<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodObject<Record<string, never>>,
    P extends z.ZodType = z.ZodObject<Record<string, never>>,
    R extends Responses = Responses,
    A extends RouteAuth = RouteAuth,
    H extends z.ZodObject = z.ZodObject<Record<string, never>>,
  >(
    spec: RouteSpec<B, Q, P, R, A, H>,
    handler: (
      ctx: RouteContext<R>,
      input: Parsed<z.output<B>, z.output<Q>, z.output<P>, UserFor<A>, z.output<H>>,
    ) => Promise<void>,
  ) {
    declared.push({ method: spec.method, path: spec.path, auth: spec.auth });
    const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
    const { errors: authErrors, ...documented } = documentedAuth(spec.method, spec.auth);
    const errorResponses: RouteConfig['responses'] = {};
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 429, 503]) {
      if ((status === 401 || status === 403) && !authErrors[status]) continue;
      errorResponses[status] = {
        description: authErrors[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorSchema } },
      };
    }
    registry.registerPath({
      method: spec.method,
      path: openApiPath,
      summary: spec.summary,
      tags: spec.tags,
      ...documented,
      request: {
        ...(spec.params && { params: spec.params as unknown as z.ZodObject }),
        ...(spec.query && { query: spec.query as unknown as z.ZodObject }),
        ...(spec.headers && { headers: spec.headers }),
        ...(spec.body && {
          body: {
            // The body parser reads a request without a body as `{}`: a body the schema may leave empty
            // (a patch of optional fields) may be left out.
            required: !spec.body.safeParse({}).success,
            content: { [spec.bodyType ?? 'application/json']: { schema: spec.body } },
          },
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

    router[spec.method](spec.path, async (ctx, next) => {
      // A route with a literal where this one has a parameter owns the path (`/api/notifications/read-all`,
      // not `/api/notifications/:id`): pass it on, so that the method it lacks is a 405 rather than this route's 404.
      if (!owningRoutes(ctx.matched ?? []).some((r) => r.path === spec.path)) return next();
      const c = ctx as unknown as RouteContext<R>;
      const user = authorize(c.state.user, spec.auth) as UserFor<A>;
      const input = {
        params: parsePart('params', spec.params ?? z.object({}).loose(), ctx.params),
        query: parsePart('query', spec.query ?? z.object({}).loose(), { ...ctx.query }),
        body: spec.body ? parsePart('body', spec.body, ctx.request.body) : undefined,
        headers: spec.headers ? parsePart('header', spec.headers, declaredHeaders(ctx, spec.headers)) : {},
        user,
      } as Parsed<z.output<B>, z.output<Q>, z.output<P>, UserFor<A>, z.output<H>>;
      await handler(c, input);
    });
  }
  return Object.assign(route, { declared: declared as readonly DeclaredRoute[] });
}

export type RouteDefiner = ReturnType<typeof createRouteDefiner>;
