import { toQueryString, type QueryValue } from '../query-string';
import { ApiError, type FieldProblem } from './api-error';
import type { ResponseAt } from './wire';

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Answers are typed by their URL: `get(`/api/orders/${id}`)` resolves to the wire type of
 * `GET /api/orders/{id}`, so each API module is checked against what the server declares. A URL that
 * names no JSON route (a plain `string`, a 204 answer) resolves to `unknown`.
 */
export interface HttpClient {
  get<Url extends string>(path: Url, options?: RequestOptions): Promise<ResponseAt<'GET', Url>>;
  send<M extends 'POST' | 'PUT' | 'PATCH' | 'DELETE', Url extends string>(
    method: M,
    path: Url,
    options?: RequestOptions,
  ): Promise<ResponseAt<M, Url>>;
}

export interface CsrfSource {
  csrfToken(): string;
  /** Fetches a fresh token after the server rejected ours (e.g. the session was rotated in another tab). */
  refreshCsrfToken(): Promise<void>;
}

interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    fields?: FieldProblem[];
    retryAfterSeconds?: number;
    [detail: string]: unknown;
  };
}

/** A fetch wrapper for the same-origin JSON API: cookies, the CSRF header and one error shape. */
export function createHttpClient(csrf: CsrfSource): HttpClient {
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const url = path + toQueryString(options.query ?? {});
    const attempt = () => {
      if (method !== 'GET') headers['x-csrf-token'] = csrf.csrfToken();
      return fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
    };

    let response = await attempt().catch(rethrowAsNetworkError);
    if (response.status === 403 && method !== 'GET' && (await isCsrfRejection(response))) {
      await csrf.refreshCsrfToken();
      response = await attempt().catch(rethrowAsNetworkError);
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined;
    const type = response.headers.get('content-type') ?? '';
    return type.includes('json') ? await response.json() : await response.text();
  }

  // The one place the answer's JSON meets its type: the route's wire type, which the server declares.
  return {
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    send: (method: string, path: string, options?: RequestOptions) => request(method, path, options),
  } as HttpClient;
}

async function isCsrfRejection(response: Response): Promise<boolean> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as ErrorBody | null;
  return body?.error?.code === 'csrf_invalid';
}

async function toApiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  const { code, message, fields, retryAfterSeconds, ...details } = body?.error ?? {};
  const retryHeader = Number(response.headers.get('retry-after'));
  const retryAfter =
    retryAfterSeconds ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined);
  return new ApiError(
    response.status,
    code ?? `http_${response.status}`,
    message ?? response.statusText ?? `Request failed (${response.status})`,
    fields ?? [],
    retryAfter,
    details,
  );
}

function rethrowAsNetworkError(cause: unknown): never {
  if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
  throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
}
