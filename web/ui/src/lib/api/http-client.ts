import { toQueryString, type QueryValue } from '../query-string';
import { ApiError, type FieldProblem } from './api-error';

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options?: RequestOptions): Promise<T>;
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
  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
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
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  return {
    get: (path, options) => request('GET', path, options),
    send: (method, path, options) => request(method, path, options),
  };
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
