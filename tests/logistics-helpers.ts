import { expect } from 'vitest';
import type { Delivery, Order } from '@market/web/wire';
import { staffAccount } from './support/accounts';
import type { TestApp } from './support/app';
import type { ApiClient } from './support/client';
import { ADDRESS, checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/** Shared by the logistics tests: staff accounts, couriers placed on the map, an order up to acceptance. */

export const STAFF_PASSWORD = 'courier password 1';

export function staff(app: TestApp, role: 'courier' | 'support', name: string = role) {
  return staffAccount(app, role, { name, password: STAFF_PASSWORD });
}

/** A courier who reported `at` and is online (or `availability`). */
export async function courierAt(
  app: TestApp,
  at: { lat: number; lng: number },
  availability: 'online' | 'busy' | 'offline' = 'online',
  name = 'Courier',
) {
  const courier = await staff(app, 'courier', name);
  expect((await courier.post('/api/courier/position', { lat: at.lat, lng: at.lng })).status).toBe(204);
  expect((await courier.put('/api/courier/availability', { availability })).status).toBe(200);
  return courier;
}

/** Takes every courier of earlier tests off duty, so assignment sees only this test's couriers. */
export async function everyoneOffline(app: TestApp) {
  for (const c of await app.core.logistics.couriers.list())
    if (c.availability !== 'offline') await app.core.logistics.couriers.setAvailability(c.id, 'offline');
}

/** A point `metres` north and `eastMetres` east of `p`. */
export function near(p: { lat: number; lng: number }, metres: number, eastMetres = 0) {
  return {
    lat: p.lat + metres / 111_320,
    lng: p.lng + eastMetres / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  };
}

export interface PaidOrder {
  seller: Awaited<ReturnType<typeof registerUser>>;
  shopper: Awaited<ReturnType<typeof registerUser>>;
  orderId: string;
  order: Order;
}

/** A seller, a shopper and one paid order of theirs (courier delivery unless `pickupPointId`). */
export async function paidOrder(app: TestApp, opts: { pickupPointId?: string } = {}): Promise<PaidOrder> {
  const seller = await registerUser(app, 'seller');
  const shopper = await registerUser(app.url);
  const item = await stockedProduct(seller, { stock: 10, categoryId: await leafCategory(seller) });
  expect((await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
  const delivery = opts.pickupPointId
    ? { method: 'pickup', pickupPointId: opts.pickupPointId }
    : { method: 'courier', address: { ...ADDRESS, line1: '200 Century Ave, Pudong' } };
  const res = await checkout(shopper, { delivery });
  expect(res.status).toBe(201);
  await pay(shopper, res.body);
  const orderId = res.body.orders[0]!.id;
  const order = (await shopper.get(`/api/orders/${orderId}`)).body;
  return { seller, shopper, orderId, order };
}

/** The seller accepts; resolves with the delivery once it exists (as the seller sees it). */
export async function acceptAndWaitForDelivery(app: TestApp, o: PaidOrder) {
  expect((await o.seller.post(`/api/orders/${o.orderId}/accept`)).status).toBe(200);
  return waitFor(async () => {
    const res = await o.seller.get(`/api/orders/${o.orderId}/delivery`);
    return res.status === 200 ? res.body : null;
  }, 20_000);
}

/** Waits until the delivery (read by `client`) satisfies `check`, and returns it. */
export function deliveryWhen(client: ApiClient, deliveryId: string, check: (d: Delivery) => boolean) {
  return waitFor(async () => {
    const res = await client.get(`/api/deliveries/${deliveryId}`);
    return res.status === 200 && check(res.body) ? res.body : null;
  }, 20_000);
}
