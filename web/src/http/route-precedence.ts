/** A route as the router holds it (`@koa/router`'s layer): its pattern and methods. */
interface RoutePattern {
  path: string | RegExp;
  methods: readonly string[];
}

const isParameter = (segment: string) => segment.startsWith(':');

/**
 * Whether pattern `a` outranks `b` for a path both match: at the first segment where one has a literal
 * and the other a parameter, `a` has the literal.
 */
function outranks(a: string, b: string): boolean {
  const aSegments = a.split('/');
  const bSegments = b.split('/');
  for (let i = 0; i < Math.min(aSegments.length, bSegments.length); i++) {
    const aParameter = isParameter(aSegments[i]!);
    if (aParameter !== isParameter(bSegments[i]!)) return !aParameter;
  }
  return false;
}

/**
 * Of the routes that match a path, the ones that own it: a literal segment outranks a parameter, so
 * `/api/aftersales/evidence` belongs to `POST /api/aftersales/evidence` alone, not also to
 * `GET /api/aftersales/:id` (whose id would be "evidence"). `@koa/router` runs every route that matches;
 * ranking them here keeps a request, and the `Allow` header an OPTIONS or a 405 answers with, to what
 * the resource really supports.
 */
export function owningRoutes<R extends RoutePattern>(matched: readonly R[]): R[] {
  const routes = matched.filter(
    (r): r is R & { path: string } => r.methods.length > 0 && typeof r.path === 'string',
  );
  return routes.filter((route) => !routes.some((other) => outranks(other.path, route.path)));
}
