import { createHash } from 'node:crypto';
import Keygrip from 'keygrip';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '@market/core';
import { NAMESPACES, type NamespaceName, type OrderStatusMessage } from '@market/realtime/contract';
import { sessionKeys } from '@market/web/session-keys';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * A socket lives no longer than its login session: logout, a password change, a block and expiry each
 * disconnect the session's sockets (in every namespace), a dead session joins nothing, and a connection
 * recovered after a blip does not get its rooms back once its session ended. One app process here; the
 * same over two nodes and Redis is in realtime-multinode.test.ts.
 */

const PASSWORD = 'long enough password';
let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let sku: string;
const sockets: Socket[] = [];

function open(name: NamespaceName, cookie?: string, opts: { reconnection?: boolean } = {}) {
  const socket = connect(`${app.url}${NAMESPACES[name]}`, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    forceNew: true,
    ...opts,
  });
  sockets.push(socket);
  return new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function refusal(name: NamespaceName, cookie: string) {
  return open(name, cookie).then(
    () => null,
    (err: Error & { data?: { status?: number } }) => err.data?.status ?? err.message,
  );
}

/** Resolves with the reason when the server disconnects the socket. */
const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

/** A second login of the same account: another browser, another session. */
async function secondSession(email: string, password = PASSWORD) {
  const client = new ApiClient(app.url);
  await client.login(email, password);
  return client;
}

const cookieToken = (client: ApiClient) => /(?:^|; )sid=([^;]+)/.exec(client.cookieHeader())![1]!;
const sessionIdOf = (client: ApiClient) =>
  createHash('sha256').update(cookieToken(client)).digest('base64url');

/** The signed Cookie header a browser would hold for this session token. */
function cookieFor(token: string): string {
  const sig = new Keygrip(sessionKeys(app.config)).sign(`sid=${token}`);
  return `sid=${token}; sid.sig=${sig}`;
}

/** Puts one item in the buyer's cart and checks out: the order's events go to the buyer's user room. */
async function placeOrder(buyer: ApiClient) {
  expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const placed = await checkout(buyer);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed;
}

beforeAll(async () => {
  app = await startTestApp({ products: 4 });
  seller = await registerUser(app, 'seller');
  ({ sku } = await stockedProduct(seller, { stock: 500, categoryId: await leafCategory(seller) }));
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
});

describe('sessions end everywhere', () => {
  it("logout disconnects that session's sockets in every namespace, and only those", async () => {
    const first = await registerUser(app, 'seller');
    const second = await secondSession(first.user.email);
    const firstShop = await open('shop', first.cookieHeader());
    const firstSeller = await open('seller', first.cookieHeader());
    const secondSeller = await open('seller', second.cookieHeader());
    const gone = [disconnected(firstShop), disconnected(firstSeller)];
    let secondGone = false;
    secondSeller.on('disconnect', () => (secondGone = true));
    const oldCookie = first.cookieHeader();

    expect((await first.post('/api/auth/logout')).status).toBe(204);
    // "io server disconnect": the client does not reconnect by itself with the dead cookie.
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);

    // The other session of the same account keeps its socket, and it still gets the seller's events.
    const { productId, sku: ownSku } = await stockedProduct(second, {
      stock: 10,
      categoryId: await leafCategory(second),
    });
    const alert = new Promise((resolve) => secondSeller.once('stock.alert', resolve));
    const res = await second.put(`/api/products/${productId}/variants/${ownSku}/stock`, { available: 1 });
    expect(res.status).toBe(200);
    expect(await alert).toMatchObject({ productId, available: 1 });
    expect(secondGone).toBe(false);

    // The old cookie opens no seller namespace any more.
    expect(await refusal('seller', oldCookie)).toBe(401);
  });

  it('refuses a new join with a logged-out cookie and forgets the user over HTTP', async () => {
    const buyer = await registerUser(app.url);
    const { body } = await placeOrder(buyer);
    const orderId = body.orders[0]!.id;
    const cookie = buyer.cookieHeader();
    expect((await buyer.post('/api/auth/logout')).status).toBe(204);

    const socket = await open('shop', cookie);
    expect(await socket.emitWithAck('order:watch', orderId)).toMatchObject({ ok: false });
    const replay = new ApiClient(app.url);
    const res = await replay.request('GET', '/api/auth/session', { headers: { cookie } });
    expect(res.body.user).toBeNull();
  });

  it('a password change ends every other session and its sockets, and keeps this one', async () => {
    const here = await registerUser(app.url);
    const elsewhere = await secondSession(here.user.email);
    const hereSocket = await open('shop', here.cookieHeader());
    const elsewhereSocket = await open('shop', elsewhere.cookieHeader());
    const elsewhereGone = disconnected(elsewhereSocket);

    const wrong = await here.post('/api/auth/password', {
      currentPassword: 'not the password',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.error).toMatchObject({
      code: 'wrong_password',
      fields: [{ field: 'body.currentPassword', message: 'wrong password' }],
    });
    const weak = await here.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'password1234',
    });
    expect(weak.status).toBe(422);
    expect(weak.error.fields[0].field).toBe('body.newPassword');
    expect(weak.error.fields[0].message).toMatch(/commonly used password/);
    const same = await here.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(422);
    expect(elsewhereSocket.connected).toBe(true); // refused changes end nothing

    const changed = await here.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toEqual({ endedSessions: 1 });
    expect(await elsewhereGone).toBe('io server disconnect');
    expect((await elsewhere.get('/api/auth/session')).body.user).toBeNull();

    // This session goes on, socket included: its own order's payment reaches it.
    expect((await here.get('/api/auth/session')).body.user?.id).toBe(here.user.id);
    const placed = await placeOrder(here);
    const paid = new Promise<OrderStatusMessage>((resolve) =>
      hereSocket.on('order.status_changed', (m: OrderStatusMessage) => m.status === 'paid' && resolve(m)),
    );
    await pay(here, placed.body);
    expect((await paid).orderId).toBe(placed.body.orders[0]!.id);
    expect(hereSocket.connected).toBe(true);

    expect(
      (await new ApiClient(app.url).post('/api/auth/login', { email: here.user.email, password: PASSWORD }))
        .status,
    ).toBe(401);
    await secondSession(here.user.email, 'a brand new passphrase');
  });

  it('blocking ends every session and socket, refuses login with 403, and unblocking lets them back', async () => {
    const victim = await registerUser(app.url);
    const other = await secondSession(victim.user.email);
    const gone = [
      disconnected(await open('shop', victim.cookieHeader())),
      disconnected(await open('shop', other.cookieHeader())),
    ];
    const admin = new ApiClient(app.url);
    await admin.login('admin@bazaar.test', app.password);
    const support = new ApiClient(app.url);
    await support.login('support@bazaar.test', app.password);
    const path = `/api/admin/users/${victim.user.id}` as const;

    expect((await support.post(`${path}/block`, { reason: 'spam orders' })).status).toBe(403);
    const noReason = await admin.post(`${path}/block`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.error.fields[0].field).toBe('body.reason');
    const self = await admin.post(`/api/admin/users/usr_demo_admin/block`, { reason: 'oops' });
    expect(self.status).toBe(403);
    expect((await admin.post('/api/admin/users/usr_nobody/block', { reason: 'who?' })).status).toBe(404);

    const blocked = await admin.post(`${path}/block`, { reason: 'fraudulent chargebacks' });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    expect(blocked.body.blocked).toMatchObject({ reason: 'fraudulent chargebacks', by: 'usr_demo_admin' });
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await victim.get('/api/auth/session')).body.user).toBeNull();
    expect((await admin.get(path)).body.blocked?.reason).toBe('fraudulent chargebacks');

    const login = (password: string) =>
      new ApiClient(app.url).post('/api/auth/login', { email: victim.user.email, password });
    const refused = await login(PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.error.code).toBe('account_blocked');
    // Without the right password a blocked account looks like any wrong guess.
    expect((await login('a wrong guess here')).status).toBe(401);

    const unblocked = await admin.post(`${path}/unblock`);
    expect(unblocked.status).toBe(200);
    expect(unblocked.body.blocked).toBeNull();
    expect((await login(PASSWORD)).status).toBe(200);
  });

  it('every join checks the session again, so a session ended without notice joins nothing', async () => {
    const buyer = await registerUser(app.url);
    const { body } = await placeOrder(buyer);
    const orderId = body.orders[0]!.id;
    const socket = await open('shop', buyer.cookieHeader());
    expect(await socket.emitWithAck('order:watch', orderId)).toEqual({ ok: true });

    // The session disappears without its event (as if it were lost on the way): the next join notices.
    await app.database.connection.collection('sessions').deleteOne({ _id: sessionIdOf(buyer) as never });
    const gone = disconnected(socket);
    expect(await socket.emitWithAck('products:watch', ['p1'])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/session has ended/),
    });
    expect(await gone).toBe('io server disconnect');
  });

  it('a connection recovered after its session ended starts afresh, without its rooms or missed events', async () => {
    const run = async (logOutWhileAway: boolean) => {
      const buyer = await registerUser(app.url);
      const placed = await placeOrder(buyer);
      const orderId = placed.body.orders[0]!.id;
      // No automatic reconnection: the test reconnects once what the socket should miss has happened.
      const socket = await open('shop', buyer.cookieHeader(), { reconnection: false });
      expect(await socket.emitWithAck('order:watch', orderId)).toEqual({ ok: true });
      const statuses: string[] = [];
      socket.on('order.status_changed', (m: OrderStatusMessage) => {
        if (m.orderId === orderId) statuses.push(m.status);
      });
      socket.io.engine.close(); // a network blip
      if (logOutWhileAway) expect((await buyer.post('/api/auth/logout')).status).toBe(204);
      // The order is paid while the socket is away (the sandbox page needs no session).
      const sessionId = String(placed.body.payment.redirectUrl).split('/').pop();
      const paid = await new ApiClient(app.url).post(`/api/sandbox-psp/sessions/${sessionId}/complete`, {
        method: 'alipay',
        outcome: 'succeed',
      });
      expect(paid.status).toBe(200);
      await waitFor(
        async () =>
          (await app.core.checkout.getCheckout(buyer.user.id, placed.body.checkoutId)).orders.every(
            (o: { status: string }) => o.status === 'paid',
          ),
        20_000,
        'order paid',
      );
      const back = new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.connect(); // comes back with its recovery id and offset, as after a blip
      await back;
      return { socket, statuses, orderId };
    };

    // Control: a live session recovers its rooms and what it missed.
    const live = await run(false);
    expect(live.socket.recovered).toBe(true);
    await waitFor(async () => live.statuses.includes('paid'), 10_000, 'missed event after recovery');

    const ended = await run(true);
    expect(ended.socket.recovered).toBe(false);
    expect(await ended.socket.emitWithAck('order:watch', ended.orderId)).toMatchObject({ ok: false });
    expect(ended.statuses).toEqual([]);
  });
});

describe('expired sessions', () => {
  // Last in the file: pruning with a clock two weeks ahead ends every session of this test database.

  it('disconnects a socket when its session expires', async () => {
    const user = await registerUser(app.url);
    const shortLived = createAuthService({
      connection: app.database.connection,
      users: app.core.users,
      bus: app.bus,
      ttlHours: 3 / 3600, // three seconds
    });
    const { token } = await shortLived.startSession(user.user.id);
    const socket = await open('shop', cookieFor(token));
    const started = Date.now();
    expect(await disconnected(socket)).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('ends a session found expired when it is read, and disconnects its sockets', async () => {
    const user = await registerUser(app.url);
    const { token } = await app.core.auth.startSession(user.user.id);
    const socket = await open('shop', cookieFor(token));
    const gone = disconnected(socket);
    const later = createAuthService({
      connection: app.database.connection,
      users: app.core.users,
      bus: app.bus,
      ttlHours: app.config.session.ttlHours,
      clock: () => new Date(Date.now() + (app.config.session.ttlHours + 1) * 3_600_000),
    });
    expect(await later.resolveSession(token)).toBeNull();
    expect(await gone).toBe('io server disconnect');
    expect(await app.core.auth.resolveSession(token)).toBeNull(); // deleted, not merely refused
  });

  it('the prune job ends expired sessions and disconnects their sockets', async () => {
    const user = await registerUser(app.url);
    const other = await registerUser(app.url);
    const gone = disconnected(await open('shop', user.cookieHeader()));
    const otherGone = disconnected(await open('shop', other.cookieHeader()));
    const later = createAuthService({
      connection: app.database.connection,
      users: app.core.users,
      bus: app.bus,
      ttlHours: app.config.session.ttlHours,
      clock: () => new Date(Date.now() + (app.config.session.ttlHours + 1) * 3_600_000),
    });
    expect(await later.pruneExpiredSessions()).toBeGreaterThanOrEqual(2);
    expect(await Promise.all([gone, otherGone])).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await user.get('/api/auth/session')).body.user).toBeNull();
  });
});
