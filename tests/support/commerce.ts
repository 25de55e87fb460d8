import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { CheckoutResult } from '@market/web/wire';
import { uniqueName } from './accounts';
import type { ApiClient } from './client';
import { waitFor } from './process';

/** Helpers shared by the commerce tests: stocked products, checkout and payment (accounts: accounts.ts). */

/** Shoppers and sellers, re-exported for the tests that import them together with checkout and payment. */
export { registerUser } from './accounts';

export const ADDRESS = {
  name: 'Li Lei',
  phone: '+86 138 0000 0000',
  line1: '88 Century Ave',
  city: 'Shanghai',
  province: 'Shanghai',
  postcode: '200120',
};

export async function leafCategory(client: ApiClient): Promise<string> {
  const categories = (await client.get('/api/categories')).body.items;
  return categories.find((c) => !categories.some((d) => d.parentId === c.id))!.id;
}

/** A seller's product with one variant: returns its SKU and product id. */
export async function stockedProduct(
  seller: ApiClient,
  opts: { price?: number; stock: number; categoryId: string; name?: string },
) {
  const sku = uniqueName('SKU').toUpperCase();
  const res = await seller.post('/api/products', {
    name: opts.name ?? `Test item ${sku}`,
    categoryId: opts.categoryId,
    variants: [{ sku, title: 'Standard', price: opts.price ?? 10_000, stock: opts.stock }],
  });
  if (res.status !== 201) throw new Error(`product failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { sku, productId: res.body.id };
}

export function checkout(client: ApiClient, body: Record<string, unknown> = {}, key: string = randomUUID()) {
  return client.request('POST', '/api/checkout', {
    json: { delivery: { method: 'courier', address: ADDRESS }, ...body },
    headers: { 'idempotency-key': key },
  });
}

/** Pays a checkout on the sandbox's hosted page, then waits until every order of it is paid. */
export async function pay(
  client: ApiClient,
  checkoutResult: Pick<CheckoutResult, 'checkoutId'> & {
    payment: Pick<CheckoutResult['payment'], 'redirectUrl'>;
  },
  outcome: 'succeed' | 'fail' = 'succeed',
) {
  const sessionId = checkoutResult.payment.redirectUrl.split('/').pop();
  const res = await client.post(`/api/sandbox-psp/sessions/${sessionId}/complete`, {
    method: 'alipay',
    outcome,
  });
  expect(res.status).toBe(200);
  if (outcome === 'fail') return res.body;
  await waitFor(async () => {
    const state = await client.get(`/api/checkouts/${checkoutResult.checkoutId}`);
    return state.body.orders.every((o) => o.status === 'paid');
  }, 20_000);
  return res.body;
}
