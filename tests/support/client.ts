/**
 * A tiny HTTP client for tests that behaves like a browser tab: it keeps cookies, and sends the CSRF
 * token it got from the session endpoint with every write.
 *
 * Bodies are typed from the URL: `client.get(`/api/orders/${id}`)` resolves to the wire type of
 * `GET /api/orders/{id}` (`web/src/wire`), found at compile time; a URL that names no JSON route gives
 * `unknown`. Every successful JSON answer of a known route is also checked against its schema at run
 * time (`wire-check.ts`), so a test fails when the API sends something its wire type does not say.
 */
import type { ApiMethod, ResponseAt } from '@market/web/wire/routes';
import { checkWireResponse } from './wire-check';

/** The JSON body of a successful request to `url`, or `unknown` when the URL names no JSON route. */
export type BodyOf<M extends ApiMethod, Url extends string> = Url extends '/api/openapi.json'
  ? OpenApiDocument
  : Url extends `${string}.csv`
    ? string
    : ResponseAt<M, Url>;

/** The one error shape of the API (`{"error": {...}}`), as tests read it. */
export interface ApiErrorBody {
  code: string;
  message: string;
  /** Typed as present for the tests that read it; absent when the error names no field (reading it then fails). */
  fields: [FieldIssue, ...FieldIssue[]];
  [detail: string]: unknown;
}

interface FieldIssue {
  field: string;
  message: string;
}

/** `GET /api/openapi.json`, typed as far as tests read it. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, { properties: Record<string, { enum?: unknown[]; [key: string]: unknown }> }>;
  };
}

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  /** `body.error` of a refused request; read it after checking the status (undefined on success). */
  error: ApiErrorBody;
}

export class ApiClient {
  private cookies = new Map<string, string>();
  csrfToken = '';

  /** Mutable: a test may point the same browser-like session at another app process. */
  constructor(public baseUrl: string) {}

  async request<M extends ApiMethod, Url extends string>(
    method: M,
    path: Url,
    opts: { json?: unknown; body?: string; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<Response<BodyOf<M, Url>>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (opts.csrf !== false && this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    let body: string | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    const json = res.headers.get('content-type')?.includes('json') ?? false;
    if (json && text) parsed = JSON.parse(text);
    if (json && res.ok) checkWireResponse(method, path, res.status, parsed);
    const error = (parsed as { error?: ApiErrorBody } | null)?.error as ApiErrorBody;
    return { status: res.status, body: parsed as BodyOf<M, Url>, headers: res.headers, error };
  }

  get<Url extends string>(path: Url) {
    return this.request('GET', path);
  }
  post<Url extends string>(path: Url, json?: unknown) {
    return this.request('POST', path, json === undefined ? {} : { json });
  }
  put<Url extends string>(path: Url, json: unknown) {
    return this.request('PUT', path, { json });
  }
  patch<Url extends string>(path: Url, json: unknown) {
    return this.request('PATCH', path, { json });
  }
  delete<Url extends string>(path: Url) {
    return this.request('DELETE', path);
  }

  async login(email: string, password: string) {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200)
      throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrfToken = res.body.csrfToken;
    return res;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
