import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerSeller,
  registerUser,
  staffAccount,
  VALID_BUSINESS_DETAILS,
  type SignedIn,
} from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { leafCategory, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Seller onboarding, shop status and takedowns through the real API: a new seller's shop is pending and
 * sells nothing; an admin reviews the application; suspending a shop or taking a product down removes it
 * from the listing, search and checkout at once, and reinstating brings it back; every staff action is in
 * the audit log with its before and after, which only admins read and nobody edits.
 */

let app: TestApp;
let admin: SignedIn;
let support: SignedIn;
let category: string;
const anonymous = () => new ApiClient(app.url);

beforeAll(async () => {
  app = await startTestApp({ products: 20 });
  admin = await staffAccount(app, 'admin', { name: 'Ada Admin' });
  support = await staffAccount(app, 'support', { name: 'Sam Support' });
  category = await leafCategory(admin);
});
afterAll(() => app?.close());

const listed = async (shopId: string) =>
  ((await anonymous().get(`/api/products?shop=${shopId}&limit=100`)).body.items as { id: string }[]).map(
    (p) => p.id,
  );
const found = async (name: string) =>
  (await anonymous().get(`/api/search?q=${encodeURIComponent(name)}`)).body.hits.map((h) => h.id);

async function shopOf(seller: SignedIn): Promise<string> {
  return (await seller.get('/api/auth/session')).body.user!.shopId!;
}

async function auditOf(targetId: string) {
  const res = await admin.get(`/api/admin/audit?targetId=${targetId}&limit=50`);
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('seller onboarding', () => {
  it('keeps a new shop pending until an admin approves its application, then its products go live', async () => {
    const seller = await registerSeller(app, { pending: true, name: 'Pending Pat' });
    const shopId = await shopOf(seller);
    const draft = await seller.get('/api/seller/application');
    expect(draft.body).toMatchObject({ status: 'draft', shopStatus: 'pending', details: null });

    const name = `Onboarding kettle ${Date.now()}`;
    const item = await stockedProduct(seller, { stock: 5, categoryId: category, name });
    // Not for sale while pending: not listed, not found, no product page for shoppers, not in a cart.
    await app.core.listings.settled();
    expect(await listed(shopId)).toEqual([]);
    expect((await anonymous().get(`/api/products/${item.productId}`)).status).toBe(404);
    const own = await seller.get(`/api/products/${item.productId}`);
    expect(own.body.hiddenBecause).toBe('shop_pending');
    expect((await seller.get('/api/seller/products')).body.items.map((p: { id: string }) => p.id)).toEqual([
      item.productId,
    ]);
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const cart = await shopper.get('/api/cart');
    expect(cart.body.groups[0]!.lines[0]!).toMatchObject({ purchasable: false });

    // Bad details: one 422 naming each field.
    const bad = await seller.put('/api/seller/application', {
      kind: 'company',
      legalName: 'X',
      licenceNumber: '91440300708461136X',
      contactPhone: '12345',
      address: 'here',
      categoryIds: ['cat_nope'],
    });
    expect(bad.status).toBe(422);
    expect(bad.error.fields!.map((f) => f.field).sort()).toEqual(
      [
        'body.address',
        'body.categoryIds.0',
        'body.contactPhone',
        'body.legalName',
        'body.licenceNumber',
      ].sort(),
    );

    const sent = await seller.put('/api/seller/application', {
      ...VALID_BUSINESS_DETAILS,
      categoryIds: [category],
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'submitted', userName: 'Pending Pat' });
    const id = sent.body.id;

    // Support cannot decide; an admin asks for changes, the seller edits, the admin approves.
    expect(
      (await support.post(`/api/admin/seller-applications/${id}/decision`, { decision: 'approved' })).status,
    ).toBe(403);
    const queue = await admin.get('/api/admin/seller-applications?status=submitted&limit=100');
    expect(queue.body.items.map((a: { id: string }) => a.id)).toContain(id);
    const noNote = await admin.post(`/api/admin/seller-applications/${id}/decision`, {
      decision: 'rejected',
    });
    expect(noNote.status).toBe(422);
    const changes = await admin.post(`/api/admin/seller-applications/${id}/decision`, {
      decision: 'changes_requested',
      note: 'The address needs the district',
    });
    expect(changes.body).toMatchObject({
      status: 'changes_requested',
      decisionNote: 'The address needs the district',
    });
    expect((await seller.get('/api/seller/application')).body.decisionNote).toBe(
      'The address needs the district',
    );
    const resent = await seller.put('/api/seller/application', {
      ...VALID_BUSINESS_DETAILS,
      address: '上海市黄浦区南京东路 100 号 3 楼',
      categoryIds: [category],
    });
    expect(resent.body.status).toBe('submitted');
    const approved = await admin.post(`/api/admin/seller-applications/${id}/decision`, {
      decision: 'approved',
    });
    expect(approved.body).toMatchObject({ status: 'approved', shopStatus: 'active' });
    // Decided once: a second decision is a conflict.
    expect(
      (
        await admin.post(`/api/admin/seller-applications/${id}/decision`, {
          decision: 'rejected',
          note: 'late',
        })
      ).status,
    ).toBe(409);

    await waitFor(
      async () => (await listed(shopId)).includes(item.productId),
      30_000,
      'listed after approval',
    );
    await waitFor(
      async () => (await found(name)).includes(item.productId),
      30_000,
      'searchable after approval',
    );
    expect((await anonymous().get(`/api/products/${item.productId}`)).status).toBe(200);
    expect((await shopper.get('/api/cart')).body.groups[0]!.lines[0]!.purchasable).toBe(true);

    const audit = await auditOf(id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'seller_application.approved',
      'seller_application.changes_requested',
    ]);
    expect(audit[0]).toMatchObject({
      actor: { id: admin.user.id, name: 'Ada Admin' },
      target: { type: 'seller_application', id },
      before: { status: 'submitted' },
      after: { status: 'approved', shopStatus: 'active' },
    });
  });
});

describe('shop status and takedowns', () => {
  let seller: SignedIn;
  let shopId: string;
  let item: { productId: string; sku: string };
  let name: string;

  beforeAll(async () => {
    seller = await registerSeller(app, { name: 'Live Lee' });
    shopId = await shopOf(seller);
    name = `Status teapot ${Date.now()}`;
    item = await stockedProduct(seller, { stock: 5, categoryId: category, name });
    await waitFor(async () => (await found(name)).includes(item.productId), 30_000, 'searchable');
  });

  it('takes a suspended shop’s products out of the listing and search at once, and back on reinstatement', async () => {
    const reason = 'Counterfeit complaints under review';
    expect(
      (await support.post(`/api/admin/shops/${shopId}/status`, { status: 'suspended', reason })).status,
    ).toBe(403);
    const suspended = await admin.post(`/api/admin/shops/${shopId}/status`, { status: 'suspended', reason });
    expect(suspended.body).toMatchObject({
      status: 'suspended',
      statusReason: reason,
      ownerName: 'Live Lee',
    });
    await waitFor(async () => !(await listed(shopId)).length, 30_000, 'unlisted');
    await waitFor(async () => !(await found(name)).includes(item.productId), 30_000, 'out of search');
    expect((await anonymous().get(`/api/products/${item.productId}`)).status).toBe(404);
    const suspendedList = await admin.get('/api/admin/shops?status=suspended&limit=100');
    expect(suspendedList.body.items.map((s: { id: string }) => s.id)).toContain(shopId);

    // Suspending twice is refused; reinstating brings everything back.
    expect(
      (await admin.post(`/api/admin/shops/${shopId}/status`, { status: 'suspended', reason })).status,
    ).toBe(409);
    await admin.post(`/api/admin/shops/${shopId}/status`, {
      status: 'active',
      reason: 'Cleared after review',
    });
    await waitFor(async () => (await listed(shopId)).includes(item.productId), 30_000, 'listed again');
    await waitFor(async () => (await found(name)).includes(item.productId), 30_000, 'searchable again');

    const audit = await auditOf(shopId);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['shop.reinstated', 'shop.suspended']);
    expect(audit[1]).toMatchObject({
      before: { status: 'active', reason: null },
      after: { status: 'suspended', reason },
      reason,
    });
  });

  it('takes a product down with a reason the seller sees and cannot undo; staff reinstate it', async () => {
    const reason = 'Listing shows a competitor’s trademark';
    const down = await admin.post(`/api/admin/products/${item.productId}/takedown`, { reason });
    expect(down.body).toMatchObject({ takenDown: true, reason });
    await waitFor(async () => !(await found(name)).includes(item.productId), 30_000, 'out of search');
    expect(await listed(shopId)).not.toContain(item.productId);
    const own = await seller.get(`/api/products/${item.productId}`);
    expect(own.body).toMatchObject({ hiddenBecause: 'taken_down', takedownReason: reason });
    // The seller edits it; it stays down (there is no way for them to lift a takedown).
    expect((await seller.patch(`/api/products/${item.productId}`, { name: `${name} v2` })).status).toBe(200);
    expect((await seller.get(`/api/products/${item.productId}`)).body.hiddenBecause).toBe('taken_down');
    expect((await seller.post(`/api/admin/products/${item.productId}/reinstate`, {})).status).toBe(403);

    await admin.post(`/api/admin/products/${item.productId}/reinstate`, { reason: 'Photos replaced' });
    await waitFor(async () => (await listed(shopId)).includes(item.productId), 30_000, 'listed again');
    const audit = await auditOf(item.productId);
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'product.reinstated',
      'product.taken_down',
    ]);
    expect(audit[1]).toMatchObject({ before: { takenDown: false }, after: { takenDown: true, reason } });
  });

  it('hides a blocked seller’s shop and shows it again on unblock', async () => {
    const blocked = await admin.post(`/api/admin/users/${seller.user.id}/block`, {
      reason: 'Fraud investigation',
    });
    expect(blocked.status).toBe(200);
    await waitFor(async () => !(await listed(shopId)).length, 30_000, 'unlisted');
    await admin.post(`/api/admin/users/${seller.user.id}/unblock`, { reason: 'Investigation closed' });
    await waitFor(async () => (await listed(shopId)).includes(item.productId), 30_000, 'listed again');
    const audit = await auditOf(seller.user.id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['user.unblocked', 'user.blocked']);
    expect(audit[1]).toMatchObject({
      before: { blocked: null },
      after: { blocked: { reason: 'Fraud investigation' } },
    });
  });
});

describe('the audit log', () => {
  it('is for admins only and cannot be changed by anyone', async () => {
    expect((await support.get('/api/admin/audit')).status).toBe(403);
    expect((await anonymous().get('/api/admin/audit')).status).toBe(401);
    const page = await admin.get('/api/admin/audit?limit=1');
    expect(page.status).toBe(200);
    const entry = page.body.items[0]!;
    for (const method of ['PATCH', 'DELETE', 'PUT', 'POST'] as const) {
      for (const url of ['/api/admin/audit', `/api/admin/audit/${entry.id}`]) {
        const res = await admin.request(method, url, method === 'DELETE' ? {} : { json: {} });
        expect([404, 405], `${method} ${url}`).toContain(res.status);
      }
    }
    expect((await admin.get(`/api/admin/audit?limit=1`)).body.items[0]).toEqual(entry);
  });

  it('filters by actor, action, target type and time', async () => {
    const byAction = await admin.get('/api/admin/audit?action=shop.suspended&limit=100');
    expect(byAction.body.items.length).toBeGreaterThan(0);
    expect(new Set(byAction.body.items.map((e: { action: string }) => e.action))).toEqual(
      new Set(['shop.suspended']),
    );
    const byActor = await admin.get(`/api/admin/audit?actorId=${support.user.id}`);
    expect(byActor.body.items).toEqual([]);
    const future = await admin.get(`/api/admin/audit?from=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.body.items).toEqual([]);
    const products = await admin.get('/api/admin/audit?targetType=product&limit=100');
    expect(new Set(products.body.items.map((e: { target: { type: string } }) => e.target.type))).toEqual(
      new Set(['product']),
    );
  });
});
