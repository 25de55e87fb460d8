import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { API_RESPONSES, type ApiRoute } from '@market/web/wire/routes';

/**
 * Checks real responses against the wire types: the test client runs every successful JSON answer of a
 * route in `API_RESPONSES` through here, so each test that talks to the API also checks that the
 * schemas (and so the types the Svelte app and the tests use) still say what the server sends.
 */

interface KnownRoute {
  key: ApiRoute;
  method: string;
  pattern: RegExp;
  params: number;
  answers: Partial<Record<number, z.ZodType>>;
}

const ROUTES: KnownRoute[] = Object.entries(API_RESPONSES).map(([key, answers]) => {
  const [method = '', path = ''] = key.split(' ');
  const source = path
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return {
    key: key as ApiRoute,
    method,
    pattern: new RegExp(`^${source}$`),
    params: path.split('{').length - 1,
    answers,
  };
});

/** The route a request goes to; where several match, a literal segment wins over a parameter. */
export function routeFor(method: string, url: string): KnownRoute | undefined {
  const path = url.split('?')[0]!;
  return ROUTES.filter((r) => r.method === method && r.pattern.test(path)).sort(
    (a, b) => a.params - b.params,
  )[0];
}

/**
 * Why `body` is not what `schema` describes, or null when it is: a field missing or of another type,
 * or a field the schema does not declare (a response schema strips those, so they would reach clients
 * untyped and undocumented).
 */
export function wireMismatch(schema: z.ZodType, body: unknown): string | null {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    return parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(the body)'}: ${issue.message}`)
      .join('; ');
  const extra = undeclared(body, parsed.data, '');
  if (extra.length) return `fields the schema does not declare: ${extra.slice(0, 10).join(', ')}`;
  if (!isDeepStrictEqual(parsed.data, body)) return 'the schema changes the body (a default or transform)';
  return null;
}

function undeclared(sent: unknown, kept: unknown, path: string): string[] {
  if (Array.isArray(sent) && Array.isArray(kept))
    return sent.flatMap((item, i) => undeclared(item, kept[i], `${path}${i}.`));
  if (!isRecord(sent) || !isRecord(kept)) return [];
  return Object.keys(sent).flatMap((key) =>
    key in kept ? undeclared(sent[key], kept[key], `${path}${key}.`) : [`${path}${key}`],
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws when a successful JSON answer does not match its route's declared wire type. */
export function checkWireResponse(method: string, url: string, status: number, body: unknown): void {
  const route = routeFor(method, url);
  if (!route) return;
  const schema = route.answers[status];
  if (!schema)
    throw new Error(
      `${method} ${url} answered ${status}, but ${route.key} declares only ${Object.keys(route.answers).join(', ')} (web/src/wire/routes.ts)`,
    );
  const problem = wireMismatch(schema, body);
  if (problem)
    throw new Error(`${method} ${url} answered ${status} off its wire type (${route.key}): ${problem}`);
  checkedRoutes.add(route.key);
}

/** The routes whose answers this process has checked (the wire test asserts the main ones are among them). */
export const checkedRoutes = new Set<ApiRoute>();
