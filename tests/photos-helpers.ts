import type { Photo } from '@market/web/wire';
import type { ApiClient, ApiErrorBody, Response } from './support/client';
import { waitFor } from './support/process';
import { checkWireResponse } from './support/wire-check';

/** Uploads like the seller page does: multipart/form-data, field `file`, with the session's CSRF token. */
export async function uploadPhoto(
  client: ApiClient,
  productId: string,
  content: Buffer,
  fileName = 'photo.jpg',
  type = 'image/jpeg',
): Promise<Response<Photo>> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type }), fileName);
  const path = `/api/seller/products/${productId}/photos`;
  const res = await fetch(client.baseUrl + path, {
    method: 'POST',
    headers: { cookie: client.cookieHeader(), 'x-csrf-token': client.csrfToken },
    body: form,
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ?? false;
  const body: unknown = json && text ? JSON.parse(text) : text;
  if (json && res.ok) checkWireResponse('POST', path, res.status, body);
  const error = (body as { error?: ApiErrorBody }).error as ApiErrorBody;
  return { status: res.status, body: body as Photo, headers: res.headers, error };
}

/** Waits until the photo's check has finished (the ONNX models take seconds per photo on two cores). */
export function checked(client: ApiClient, photoId: string, timeoutMs = 180_000): Promise<Photo> {
  return waitFor(
    async () => {
      const res = await client.get(`/api/seller/photos/${photoId}`);
      return res.body.status !== 'checking' ? res.body : null;
    },
    timeoutMs,
    `check of ${photoId}`,
  );
}

let skuCounter = 0;

export async function createProduct(
  seller: ApiClient,
  categoryId: string,
  name = 'Ceramic mug',
): Promise<string> {
  const res = await seller.post('/api/products', {
    name,
    categoryId,
    variants: [{ sku: `PH-${Date.now().toString(36)}-${++skuCounter}`.toUpperCase(), price: 4900, stock: 3 }],
  });
  if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export const codes = (photo: { reasons: { code: string }[] }) => photo.reasons.map((r) => r.code);
