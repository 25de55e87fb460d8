import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationIdFor, shopPlace } from '@market/core';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { ADDRESS, checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';
import { sidewaysPhotoWithGps } from '@market/vision/synthetic';
import { evidenceJpeg, fetchBytes, uploadEvidence } from './aftersales-helpers';
import {
  acceptAndWaitForDelivery,
  courierAt,
  deliveryWhen,
  everyoneOffline,
  near,
  paidOrder,
  staff,
} from './logistics-helpers';

/**
 * Closing an account (PIPL): the export holds the person's own orders and nothing of another buyer's;
 * closing needs the password, signs out everywhere, keeps orders and deliveries with the buyer
 * anonymised, erases the address book, favourites, notifications, SMS codes and profile photo, and frees
 * the email for a new registration.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ products: 2 });
});
afterAll(() => app?.close());

async function buy(
  buyer: Awaited<ReturnType<typeof registerUser>>,
  seller: Awaited<ReturnType<typeof registerUser>>,
  name: string,
) {
  const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
  expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const res = await checkout(buyer, { delivery: { method: 'courier', address: { ...ADDRESS, name } } });
  expect(res.status).toBe(201);
  await pay(buyer, res.body);
  return res.body.orders[0]!.id;
}

/** Everything else the person leaves behind: an address, a favourite, a verified phone, a photo. */
async function furnish(person: Awaited<ReturnType<typeof registerUser>>, productId: string) {
  const saved = await person.post('/api/me/addresses', {
    name: '王爱丽',
    phone: '13900139111',
    province: '上海市',
    city: '上海市',
    district: '静安区',
    line1: '南京西路 1699 号',
    postcode: '200040',
  });
  expect(saved.status).toBe(201);
  expect((await person.put(`/api/me/favourites/product/${productId}`, {})).status).toBe(200);
  const phone = `+86139${String(Date.now() % 1e8).padStart(8, '0')}`;
  expect((await person.post('/api/account/phone/code', { phone })).status).toBe(202);
  const text = await waitFor(
    async () =>
      (await new ApiClient(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`)).body.items[0]?.text,
    30_000,
    'the verification text',
  );
  const verified = await person.post('/api/account/phone', { phone, code: /(\d{6})/.exec(text)![1]! });
  expect(verified.status).toBe(200);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await sidewaysPhotoWithGps(400, 400))]), 'me.jpg');
  const avatar = await fetch(`${app.url}/api/account/avatar`, {
    method: 'PUT',
    headers: { cookie: person.cookieHeader(), 'x-csrf-token': person.csrfToken },
    body: form,
  });
  expect(avatar.status).toBe(200);
  const { avatarUrl } = (await avatar.json()) as { avatarUrl: string };
  return { phone, avatarUrl };
}

describe('account export and erasure', () => {
  it('exports the person’s own data and nothing of anyone else; erasure anonymises orders and deliveries, erases the rest, and frees the email', async () => {
    const seller = await registerUser(app, 'seller');
    const alice = await registerUser(app.url, 'shopper');
    const bob = await registerUser(app.url, 'shopper');
    const aliceOrder = await buy(alice, seller, 'Alice Wang');
    const productId = (await app.core.orders.get(aliceOrder)).lines[0]!.productId;
    const { phone, avatarUrl } = await furnish(alice, productId);
    // The seller accepts: the delivery copies the recipient's name and address.
    expect((await seller.post(`/api/orders/${aliceOrder}/accept`)).status).toBe(200);
    const delivery = await waitFor(
      async () => {
        const res = await alice.get(`/api/orders/${aliceOrder}/delivery`);
        return res.status === 200 && res.body;
      },
      30_000,
      'the delivery',
    );
    const bobOrder = await buy(bob, seller, 'Bob Zhang');
    const paidNotice = notificationIdFor('order_paid', aliceOrder, alice.user.id);
    await waitFor(
      async () => (await alice.get(`/api/notifications/${encodeURIComponent(paidNotice)}`)).status === 200,
      30_000,
      'the paid notice',
    );

    const exported = await alice.get('/api/account/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body.profile!.email).toBe(alice.email);
    expect(exported.body.orders.map((o) => o.id)).toEqual([aliceOrder]);
    expect(exported.body.notifications.map((n) => n.id)).toContain(paidNotice);
    expect(exported.body.sessions.length).toBeGreaterThanOrEqual(1);
    expect(exported.body.addresses.map((a) => a.name)).toEqual(['王爱丽']);
    expect(exported.body.favourites.items).toMatchObject([{ kind: 'product', targetId: productId }]);
    expect(exported.body.profile!.phone).toBe(phone);
    const text = JSON.stringify(exported.body);
    for (const foreign of [bobOrder, bob.email, bob.user.id, 'Bob Zhang'])
      expect(text).not.toContain(foreign);
    expect(text).not.toContain('passwordHash');

    const wrong = await alice.post('/api/account/close', { password: 'not my password at all' });
    expect(wrong.status).toBe(403);
    const closed = await alice.post('/api/account/close', { password: alice.password });
    expect(closed.status).toBe(200);
    expect((await alice.get('/api/auth/session')).body.user).toBeNull();
    expect(
      (await new ApiClient(app.url).post('/api/auth/login', { email: alice.email, password: alice.password }))
        .status,
    ).toBe(401);

    await waitFor(
      async () => (await app.core.queue.get(closed.body.eraseJobId))?.status === 'completed',
      30_000,
      'the erasure job',
    );
    const kept = await app.core.orders.get(aliceOrder);
    expect(kept.delivery.address!.name).toBe('Closed account');
    expect(kept.delivery.address!.phone).toBe('');
    expect(kept.totals.total).toBeGreaterThan(0);
    // The seller still sees the order, without the buyer.
    const sellerView = await seller.get(`/api/orders/${aliceOrder}`);
    expect(sellerView.status).toBe(200);
    expect(JSON.stringify(sellerView.body)).not.toContain('Alice Wang');
    expect(kept.delivery.address!.line1).toBe('');
    // The delivery keeps its route and history, not who it went to.
    const db = app.database.connection;
    const keptDelivery = await db.collection('deliveries').findOne({ _id: delivery.id } as never);
    expect(keptDelivery!.dropoff).toMatchObject({ name: 'Closed account', address: '' });
    expect(JSON.stringify(keptDelivery)).not.toMatch(/Alice Wang|Century Ave/);
    // The address book and its history, favourites, SMS codes and the photo's files are gone.
    expect(await db.collection('address_book_entries').countDocuments({ userId: alice.user.id })).toBe(0);
    expect(await db.collection('address_book_heads').countDocuments({ _id: alice.user.id } as never)).toBe(0);
    expect(await db.collection('favourites').countDocuments({ userId: alice.user.id })).toBe(0);
    expect(await app.core.favourites.count('product', productId)).toBe(0);
    expect(await db.collection('sms_codes').countDocuments({ userId: alice.user.id })).toBe(0);
    const marksOfPhone = { _id: { $regex: phone.slice(1) } } as never;
    expect(await db.collection('sms_code_marks').countDocuments(marksOfPhone)).toBe(0);
    expect(await db.collection('user_phones').countDocuments({ _id: phone } as never)).toBe(0);
    expect((await fetchBytes(bob, avatarUrl)).status).toBe(404);
    expect((await fetchBytes(bob, avatarUrl.replace(/256$/, '64'))).status).toBe(404);
    const account = await db.collection('users').findOne({ _id: alice.user.id } as never);
    expect(JSON.stringify(account)).not.toMatch(
      new RegExp(`${alice.email}|${phone.slice(1)}|av[0-9a-f]{32}`),
    );
    // Bob's order is untouched.
    expect((await app.core.orders.get(bobOrder)).delivery.address!.name).toBe('Bob Zhang');
    expect(
      await app.database.connection.collection('notifications').countDocuments({ userId: alice.user.id }),
    ).toBe(0);

    const again = await new ApiClient(app.url).post('/api/auth/register', {
      email: alice.email,
      password: 'a fresh start for alice',
      name: 'Alice again',
    });
    expect(again.status).toBe(201);
    expect(again.body.user!.id).not.toBe(alice.user.id);
  });

  it('takes the buyer’s words and photos out of after-sales and the courier’s door photos with them', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const support = await staff(app, 'support', 'Erasure Support');
    // The courier delivers with a photo of the parcel at the buyer's door.
    const courier = await courierAt(app, near(shopPlace(o.order.shopName, ''), 100));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(200);
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/picked-up`, {})).status).toBe(200);
    const doorPhoto = await fetch(`${app.url}/api/courier/deliveries/${delivery.id}/proof-photo`, {
      method: 'POST',
      headers: { cookie: courier.cookieHeader(), 'x-csrf-token': courier.csrfToken },
      body: new Uint8Array(await evidenceJpeg()),
    });
    expect(doorPhoto.status).toBe(200);
    const proofUrl = `/api/deliveries/${delivery.id}/proof-photo`;
    expect((await fetchBytes(support, proofUrl)).status).toBe(200);
    await waitFor(
      async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'delivered',
      30_000,
      'the order delivered',
    );

    // A return with the buyer's own words and a photo, approved, with a courier pickup at her door.
    const evidence = await uploadEvidence(o.shopper, await evidenceJpeg());
    expect(evidence.status).toBe(201);
    const words = 'The lid cracked, my neighbour Mrs Li saw it';
    const opened = await o.shopper.post(`/api/orders/${o.orderId}/aftersales`, {
      lineIndex: 0,
      type: 'return',
      reason: 'quality',
      description: words,
      amount: o.order.totals.total,
      evidenceIds: [evidence.body.id],
    });
    expect(opened.status).toBe(201);
    const requestId = opened.body.id;
    expect((await o.seller.post(`/api/aftersales/${requestId}/approve`)).status).toBe(200);
    const booked = await o.shopper.post(`/api/aftersales/${requestId}/pickup`);
    expect(booked.status).toBe(200);
    const returnId = booked.body.pickup!.deliveryId;
    expect((await fetchBytes(o.seller, evidence.body.largeUrl)).status).toBe(200);
    const before = (await o.seller.get(`/api/aftersales/${requestId}`)).body;
    expect(before.description).toBe(words);

    const exported = (await o.shopper.get('/api/account/export')).body;
    expect(exported.afterSales.map((r) => [r.id, r.description])).toEqual([[requestId, words]]);

    const closed = await o.shopper.post('/api/account/close', { password: o.shopper.password });
    expect(closed.status).toBe(200);
    await waitFor(
      async () => (await app.core.queue.get(closed.body.eraseJobId))?.status === 'completed',
      30_000,
      'the erasure job',
    );

    // The request stays for the seller and support (a refund hangs on it), without her words or photo.
    const after = (await o.seller.get(`/api/aftersales/${requestId}`)).body;
    expect(after).toMatchObject({ status: before.status, description: '', evidence: [] });
    expect(after.timeline.filter((e) => e.actorRole === 'buyer').every((e) => e.note === '')).toBe(true);
    for (const who of [o.seller, support]) {
      expect((await fetchBytes(who, evidence.body.largeUrl)).status).toBe(404);
      expect((await fetchBytes(who, evidence.body.thumbUrl)).status).toBe(404);
    }
    const db = app.database.connection;
    expect(await db.collection('aftersales_evidence').countDocuments({ ownerId: o.shopper.user.id })).toBe(0);
    const everything = JSON.stringify([
      await db.collection('aftersales_requests').find({ buyerId: o.shopper.user.id }).toArray(),
      await db.collection('aftersales_events').find({ requestId }).toArray(),
      await db
        .collection('aftersales_heads')
        .find({ _id: requestId } as never)
        .toArray(),
      await db.collection('aftersales_lines').find({ 'seed.buyerId': o.shopper.user.id }).toArray(),
    ]);
    expect(everything).not.toContain('Mrs Li');
    expect(everything).not.toContain(evidence.body.id);

    // The door photo is gone, file and name; the return pickup no longer says where she lives.
    expect((await fetchBytes(support, proofUrl)).status).toBe(404);
    const entries = await db.collection('delivery_events').find({ deliveryId: delivery.id }).toArray();
    expect(entries.some((e) => e.proof?.kind === 'photo')).toBe(true);
    expect(entries.every((e) => e.proof?.photo == null)).toBe(true);
    const proofFiles = await readdir(path.join(app.config.dataDir, 'proofs'));
    expect(proofFiles.filter((f) => f.startsWith(delivery.id))).toEqual([]);
    const pickup = await db.collection('deliveries').findOne({ _id: returnId } as never);
    expect(pickup!.pickup).toMatchObject({ name: 'Closed account', address: '' });
    expect(JSON.stringify(pickup)).not.toContain('Century Ave');
  });
});
