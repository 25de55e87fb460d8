import sharp from 'sharp';
import { expect } from 'vitest';
import type { AfterSalesEvidence, Order } from '@market/web/wire';
import type { ApiClient, ApiErrorBody, Response } from './support/client';
import { checkout, pay, stockedProduct } from './support/commerce';
import { checkWireResponse } from './support/wire-check';

/** Helpers of the after-sales tests: orders taken to delivered over the API, evidence photos. */

type Seller = ApiClient & { user: { id: string } };

/**
 * A paid order of `lines` (one product each, `price` fen, `qty` units) bought by `shopper` from `seller`,
 * accepted, shipped by hand and delivered, all over the API. Returns the order and its SKUs.
 */
export async function deliveredOrder(
  seller: Seller,
  shopper: ApiClient,
  category: string,
  lines: { price: number; qty?: number; stock?: number }[],
): Promise<{ order: Order; items: { sku: string; productId: string }[] }> {
  const items = [];
  for (const line of lines) {
    const item = await stockedProduct(seller, {
      price: line.price,
      stock: line.stock ?? 10,
      categoryId: category,
    });
    const added = await shopper.post('/api/cart/lines', { sku: item.sku, qty: line.qty ?? 1 });
    expect(added.status).toBe(200);
    items.push(item);
  }
  const placed = await checkout(shopper);
  expect(placed.status).toBe(201);
  await pay(shopper, placed.body);
  const id = placed.body.orders[0]!.id;
  expect((await seller.post(`/api/orders/${id}/accept`)).status).toBe(200);
  const shipped = await seller.post(`/api/orders/${id}/ship`, {
    carrier: 'SF Express',
    trackingNumber: 'SF1234567',
  });
  expect(shipped.status).toBe(200);
  const delivered = await seller.post(`/api/orders/${id}/deliver`);
  expect(delivered.status).toBe(200);
  return { order: delivered.body, items };
}

/** A real JPEG (drawn by sharp) with EXIF that the upload must strip. */
export async function evidenceJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="#eee"/><path d="M100 500 L400 100 L700 500 Z" fill="#c33"/></svg>`;
  return sharp(Buffer.from(svg))
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'buyer-secret-exif' } } })
    .toBuffer();
}

/** Uploads an evidence photo as the request form does (multipart/form-data, field `file`). */
export async function uploadEvidence(
  client: ApiClient,
  content: Buffer,
): Promise<Response<AfterSalesEvidence>> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type: 'image/jpeg' }), 'damage.jpg');
  const path = '/api/aftersales/evidence';
  const res = await fetch(client.baseUrl + path, {
    method: 'POST',
    headers: { cookie: client.cookieHeader(), 'x-csrf-token': client.csrfToken },
    body: form,
  });
  const text = await res.text();
  const body: unknown = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
  if (res.ok) checkWireResponse('POST', path, res.status, body);
  const error = (body as { error?: ApiErrorBody }).error as ApiErrorBody;
  return { status: res.status, body: body as AfterSalesEvidence, headers: res.headers, error };
}

/** The bytes of a GET (images), with the client's session. */
export async function fetchBytes(client: ApiClient, path: string) {
  const res = await fetch(client.baseUrl + path, { headers: { cookie: client.cookieHeader() } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}
