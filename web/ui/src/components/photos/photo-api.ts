import { ApiError, type FieldProblem } from '../../lib/api/api-error';
import type { Photo, PhotoReason, ProductPhotos } from '../../lib/api/wire';

export type { Photo, PhotoReason, ProductPhotos };
export type PhotoStatus = Photo['status'];
export type ReasonSeverity = PhotoReason['severity'];
export type PhotoTextBox = NonNullable<Photo['findings']>['text']['boxes'][number];

export interface Upload {
  /** Resolves with the stored photo (its check still running), or rejects with an ApiError. */
  done: Promise<Photo>;
  abort(): void;
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: FieldProblem[]; [detail: string]: unknown };
}

function toError(status: number, body: ErrorBody | null, fallback: string): ApiError {
  const { code, message, fields, ...details } = body?.error ?? {};
  return new ApiError(
    status,
    code ?? `http_${status}`,
    message ?? fallback,
    fields ?? [],
    undefined,
    details,
  );
}

/**
 * The photo endpoints. Uploads go through XMLHttpRequest, because fetch cannot report upload progress;
 * everything else is plain JSON with the session's CSRF token.
 */
export function createPhotoApi(csrfToken: () => string) {
  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          accept: 'application/json',
          ...(method !== 'GET' && { 'x-csrf-token': csrfToken() }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
    }
    if (!response.ok)
      throw toError(response.status, await response.json().catch(() => null), response.statusText);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  const product = (id: string) => `/api/seller/products/${encodeURIComponent(id)}/photos`;
  const photo = (id: string) => `/api/seller/photos/${encodeURIComponent(id)}`;

  return {
    list: (productId: string) => json<ProductPhotos>('GET', product(productId)),
    get: (photoId: string) => json<Photo>('GET', photo(photoId)),
    setMain: (productId: string, photoId: string) =>
      json<ProductPhotos>('PUT', `${product(productId)}/main`, { photoId }),
    remove: (photoId: string) => json<void>('DELETE', photo(photoId)),
    reviewQueue: () => json<{ items: Photo[]; total: number }>('GET', '/api/support/photos/review'),
    review: (photoId: string, decision: 'approved' | 'rejected', note: string) =>
      json<Photo>('POST', `/api/support/photos/${encodeURIComponent(photoId)}/review`, { decision, note }),

    upload(productId: string, file: File, onProgress: (sent: number, total: number) => void): Upload {
      const xhr = new XMLHttpRequest();
      const done = new Promise<Photo>((resolve, reject) => {
        xhr.open('POST', product(productId));
        xhr.setRequestHeader('x-csrf-token', csrfToken());
        xhr.setRequestHeader('accept', 'application/json');
        xhr.responseType = 'json';
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress(e.loaded, e.total);
        };
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as Photo);
          else
            reject(toError(xhr.status, xhr.response as ErrorBody | null, xhr.statusText || 'Upload failed'));
        };
        xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was interrupted. Try again.'));
        xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled'));
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
      });
      return { done, abort: () => xhr.abort() };
    },
  };
}

export type PhotoApi = ReturnType<typeof createPhotoApi>;
