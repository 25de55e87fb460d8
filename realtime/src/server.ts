import type { Server as HttpServer } from 'node:http';
import type { EventBus, Logger } from '@market/core';
import { Server, type Socket } from 'socket.io';
import { MAX_WATCHED_PER_CALL, type ClientToServerEvents, type ServerToClientEvents } from './contract';

interface SocketData {
  userId: string | null;
  roles: string[];
}

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export const productRoom = (productId: string) => `product:${productId}`;
export const sellerRoom = (sellerId: string) => `seller:${sellerId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const SUPPORT_ROOM = 'support';

const ID = /^[\w-]{1,64}$/;

/**
 * Socket.IO on the app's HTTP server. The handshake reads the same session cookie as the HTTP API
 * (resolved by `resolveSession`), so a socket is exactly as authenticated as the page that opened it.
 * Domain events from the bus are fanned out to rooms; clients never publish domain events.
 */
export function attachRealtime(deps: {
  httpServer: HttpServer;
  bus: EventBus;
  log: Logger;
  /** Turns the Cookie header into the session's user, or null for anonymous visitors. */
  resolveUser: (cookieHeader: string | undefined) => Promise<{ id: string; roles: string[] } | null>;
}): { io: RealtimeServer; close(): Promise<void> } {
  const io: RealtimeServer = new Server(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });

  io.use((socket, next) => {
    deps
      .resolveUser(socket.handshake.headers.cookie)
      .then((user) => {
        socket.data.userId = user?.id ?? null;
        socket.data.roles = user?.roles ?? [];
        next();
      })
      .catch((err: unknown) => {
        deps.log.warn({ err }, 'socket handshake failed');
        next(new Error('handshake failed'));
      });
  });

  io.on(
    'connection',
    (socket: Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>) => {
      const { userId, roles } = socket.data;
      if (userId) void socket.join(userRoom(userId));
      if (userId && roles.includes('seller')) void socket.join(sellerRoom(userId));
      if (roles.includes('support') || roles.includes('admin')) void socket.join(SUPPORT_ROOM);

      socket.on('products:watch', (ids, ack) => {
        const valid =
          Array.isArray(ids) &&
          ids.length <= MAX_WATCHED_PER_CALL &&
          ids.every((id) => typeof id === 'string' && ID.test(id));
        if (!valid) {
          if (typeof ack === 'function')
            ack({ ok: false, error: `send up to ${MAX_WATCHED_PER_CALL} product ids` });
          return;
        }
        // Product stock is public, so anyone may watch any product; the room just scopes delivery.
        void socket.join(ids.map(productRoom));
        if (typeof ack === 'function') ack({ ok: true });
      });

      socket.on('products:unwatch', (ids) => {
        if (!Array.isArray(ids)) return;
        for (const id of ids.slice(0, MAX_WATCHED_PER_CALL))
          if (typeof id === 'string') void socket.leave(productRoom(id));
      });
    },
  );

  const offs = [
    deps.bus.subscribe('stock.changed', (e) => {
      io.to(productRoom(e.productId)).emit('stock.changed', {
        productId: e.productId,
        sku: e.sku,
        available: e.available,
        version: e.version,
        at: e.at,
      });
    }),
    deps.bus.subscribe('import.progress', (e) => {
      const { sellerId, ...message } = e;
      io.to(sellerRoom(sellerId)).emit('import.progress', message);
    }),
    deps.bus.subscribe('order.status_changed', (e) => {
      const { buyerId, sellerId, ...message } = e;
      // One emit to the union of rooms: a socket in several of them still gets the event once.
      io.to([userRoom(buyerId), sellerRoom(sellerId), SUPPORT_ROOM]).emit('order.status_changed', message);
    }),
    deps.bus.subscribe('payment.updated', (e) => {
      const { buyerId, ...message } = e;
      io.to(userRoom(buyerId)).emit('payment.updated', message);
    }),
  ];

  return {
    io,
    async close() {
      offs.forEach((off) => off());
      await io.close();
    },
  };
}
