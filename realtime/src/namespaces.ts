import { AppError, TooManyRequestsError, type Logger } from '@market/core';
import type { ExtendedError, Namespace, Server, Socket } from 'socket.io';
import {
  MAX_WATCHED_PER_CALL,
  NAMESPACES,
  type Ack,
  type CourierPosition,
  type NamespaceName,
} from './contract';
import { createEventBudget, roomBudgetLeft } from './guards';
import {
  courierRoom,
  deliveryRoom,
  groupRoom,
  orderRoom,
  productRoom,
  sellerRoom,
  sessionRoom,
  SUPPORT_ROOM,
  userRoom,
} from './rooms';
import { armExpiry } from './session-guard';
import type {
  CourierSocket,
  RealtimeNamespaces,
  ShopSocket,
  SocketData,
  SocketSession,
  SocketUser,
  SupportSocket,
} from './types';

const ID = /^[\w-]{1,64}$/;

export interface NamespaceDeps {
  log: Logger;
  /** Turns the handshake's Cookie header into its login session, or null for anonymous visitors. */
  resolveSession: (cookieHeader: string | undefined) => Promise<SocketSession | null>;
  /** Whether a session is still live (not ended, not expired, user not blocked): checked on every join. */
  isSessionActive: (sessionId: string) => Promise<boolean>;
  /** Whether this user may follow this order (its buyer, its seller, support). */
  canWatchOrder: (user: SocketUser, orderId: string) => Promise<boolean>;
  /** Takes a courier's position fix; throws TooManyRequestsError when sent too fast. */
  reportPosition: (courierId: string, position: CourierPosition) => Promise<void>;
}

/** Who may connect to each namespace. */
const AUDIENCE: Record<NamespaceName, (user: SocketUser | null) => boolean> = {
  shop: () => true,
  seller: (user) => !!user?.roles.includes('seller'),
  courier: (user) => !!user?.roles.includes('courier'),
  support: (user) => !!user && (user.roles.includes('support') || user.roles.includes('admin')),
};

function reply(ack: unknown, result: Parameters<Ack>[0]): void {
  if (typeof ack === 'function') (ack as Ack)(result);
}

/**
 * Creates the four namespaces with their handshake checks and join handlers. Every namespace of one
 * connection shares the engine connection, so the session is resolved once per connection.
 */
export function setupNamespaces(io: Server, deps: NamespaceDeps): RealtimeNamespaces {
  const sessions = new WeakMap<object, Promise<SocketSession | null>>();
  const sessionOf = (socket: Socket) => {
    let pending = sessions.get(socket.conn);
    if (!pending) {
      pending = deps.resolveSession(socket.handshake.headers.cookie);
      sessions.set(socket.conn, pending);
    }
    return pending;
  };

  const refuse = (socket: Socket, what: string, user: SocketUser | null, ack: unknown, error: string) => {
    deps.log.warn(
      { ns: socket.nsp.name, userId: user?.id ?? null, what, ip: socket.handshake.address },
      'realtime join refused',
    );
    reply(ack, { ok: false, error });
  };

  /**
   * Every join re-checks the session (two `_id` lookups, no cache): a socket whose session ended but
   * that has not been disconnected yet (the event still on its way) must not join anything. Anonymous
   * sockets have no session to lose. A dead session's socket is disconnected on the spot.
   */
  const sessionStillLive = async (socket: Socket, ack: unknown): Promise<boolean> => {
    const { sessionId, user } = socket.data as SocketData;
    if (!sessionId) return true;
    const live = await deps.isSessionActive(sessionId).catch((err: unknown) => {
      deps.log.error({ err }, 'session check failed');
      return null;
    });
    if (live) return true;
    if (live === null) {
      reply(ack, { ok: false, error: 'try again' });
      return false;
    }
    refuse(socket, 'join after the session ended', user, ack, 'your session has ended; sign in again');
    socket.disconnect(true);
    return false;
  };

  const namespace = (name: NamespaceName): Namespace => {
    const nsp = io.of(NAMESPACES[name]);
    nsp.on('connection', (socket: Socket) => {
      // A broadcast (not a direct emit) so that it carries a recovery offset.
      if (!socket.recovered) nsp.to(socket.id).emit('server:hello');
      const { sessionId, user } = socket.data as SocketData;
      if (!sessionId || !user) return;
      void socket.join([sessionRoom(sessionId), userRoom(user.id)]);
      void sessionOf(socket).then((session) => session && armExpiry(socket, session.expiresAt));
      // A logout racing with this handshake may have found no socket in the session's room yet; the
      // socket is in it now, so one more look closes that window.
      deps
        .isSessionActive(sessionId)
        .then((live) => {
          if (!live) socket.disconnect(true);
        })
        .catch((err: unknown) => deps.log.warn({ err }, 'session re-check after connect failed'));
    });
    nsp.use((socket: Socket, next: (err?: ExtendedError) => void) => {
      sessionOf(socket)
        .then((session) => {
          const data = socket.data as SocketData;
          const user = session?.user ?? null;
          // A recovered socket comes back with the rooms of the session it had (the adapter checked that
          // session is live); a different cookie now (another login in this browser) must start afresh.
          if (socket.recovered && (data.sessionId ?? null) !== (session?.id ?? null)) {
            const err: ExtendedError = new Error('session changed');
            err.data = { status: 401 };
            return next(err);
          }
          data.user = user;
          data.sessionId = session?.id ?? null;
          if (AUDIENCE[name](user)) return next();
          deps.log.warn(
            { ns: nsp.name, userId: user?.id ?? null, ip: socket.handshake.address },
            'realtime connection refused',
          );
          const err: ExtendedError = new Error(user ? 'forbidden' : 'unauthorized');
          err.data = { status: user ? 403 : 401 };
          next(err);
        })
        .catch((err: unknown) => {
          deps.log.warn({ err }, 'socket handshake failed');
          // 503: a passing failure (the session store is unreachable); the client tries again.
          const refused: ExtendedError = new Error('handshake failed');
          refused.data = { status: 503 };
          next(refused);
        });
    });
    return nsp;
  };

  const shop = namespace('shop') as RealtimeNamespaces['shop'];
  const seller = namespace('seller') as RealtimeNamespaces['seller'];
  const courier = namespace('courier') as RealtimeNamespaces['courier'];
  const support = namespace('support') as RealtimeNamespaces['support'];

  shop.on('connection', (socket: ShopSocket) => {
    const { user } = socket.data;
    const budget = createEventBudget();

    socket.on('products:watch', (ids, ack) => {
      if (!budget()) return reply(ack, { ok: false, error: 'too many requests', retryAfterMs: 1_000 });
      const valid =
        Array.isArray(ids) &&
        ids.length <= MAX_WATCHED_PER_CALL &&
        ids.every((id) => typeof id === 'string' && ID.test(id));
      if (!valid) return reply(ack, { ok: false, error: `send up to ${MAX_WATCHED_PER_CALL} product ids` });
      const fresh = ids.filter((id) => !socket.rooms.has(productRoom(id)));
      if (fresh.length > roomBudgetLeft(socket))
        return refuse(socket, 'products', user, ack, 'too many watched rooms on this connection');
      void sessionStillLive(socket, ack).then((live) => {
        if (!live) return;
        // Product stock is public, so anyone may watch any product; the room only scopes delivery.
        void socket.join(fresh.map(productRoom));
        reply(ack, { ok: true });
      });
    });

    socket.on('products:unwatch', (ids) => {
      if (!Array.isArray(ids)) return;
      for (const id of ids.slice(0, MAX_WATCHED_PER_CALL))
        if (typeof id === 'string') void socket.leave(productRoom(id));
    });

    socket.on('group:watch', (groupId, ack) => {
      if (!budget()) return reply(ack, { ok: false, error: 'too many requests', retryAfterMs: 1_000 });
      if (typeof groupId !== 'string' || !ID.test(groupId))
        return reply(ack, { ok: false, error: 'groupId must be a group id' });
      if (!socket.rooms.has(groupRoom(groupId)) && roomBudgetLeft(socket) <= 0)
        return refuse(socket, `group:${groupId}`, user, ack, 'too many watched rooms on this connection');
      void sessionStillLive(socket, ack).then((live) => {
        if (!live) return;
        // A group's progress is as public as its page: anyone with the link may follow it.
        void socket.join(groupRoom(groupId));
        reply(ack, { ok: true });
      });
    });

    socket.on('group:unwatch', (groupId) => {
      if (typeof groupId === 'string') void socket.leave(groupRoom(groupId));
    });

    socket.on('order:watch', (orderId, ack) => {
      if (!budget()) return reply(ack, { ok: false, error: 'too many requests', retryAfterMs: 1_000 });
      if (typeof orderId !== 'string' || !ID.test(orderId))
        return reply(ack, { ok: false, error: 'orderId must be an order id' });
      if (!user) return refuse(socket, `order:${orderId}`, user, ack, 'sign in to follow an order');
      if (roomBudgetLeft(socket) <= 0)
        return refuse(socket, `order:${orderId}`, user, ack, 'too many watched rooms on this connection');
      sessionStillLive(socket, ack)
        .then(async (live) => {
          if (!live) return;
          if (!(await deps.canWatchOrder(user, orderId)))
            return refuse(socket, `order:${orderId}`, user, ack, 'not your order');
          void socket.join(orderRoom(orderId));
          reply(ack, { ok: true });
        })
        .catch((err: unknown) => {
          deps.log.error({ err, orderId }, 'order watch check failed');
          reply(ack, { ok: false, error: 'try again' });
        });
    });

    socket.on('order:unwatch', (orderId) => {
      if (typeof orderId === 'string') void socket.leave(orderRoom(orderId));
    });
  });

  seller.on('connection', (socket) => {
    void socket.join(sellerRoom(socket.data.user!.id));
  });

  courier.on('connection', (socket: CourierSocket) => {
    const courierId = socket.data.user!.id;
    void socket.join(courierRoom(courierId));
    socket.on('position', (position, ack) => {
      deps
        .reportPosition(courierId, position)
        .then(() => reply(ack, { ok: true }))
        .catch((err: unknown) => {
          if (err instanceof TooManyRequestsError)
            return reply(ack, {
              ok: false,
              error: err.message,
              retryAfterMs: err.retryAfterSeconds * 1_000,
            });
          if (err instanceof AppError && err.status < 500)
            return reply(ack, { ok: false, error: err.message });
          deps.log.error({ err, courierId }, 'courier position failed');
          reply(ack, { ok: false, error: 'try again' });
        });
    });
  });

  support.on('connection', (socket: SupportSocket) => {
    void socket.join(SUPPORT_ROOM);
    const budget = createEventBudget();
    socket.on('delivery:watch', (deliveryId, ack) => {
      if (!budget()) return reply(ack, { ok: false, error: 'too many requests', retryAfterMs: 1_000 });
      if (typeof deliveryId !== 'string' || !ID.test(deliveryId))
        return reply(ack, { ok: false, error: 'deliveryId must be a delivery id' });
      if (roomBudgetLeft(socket) <= 0)
        return refuse(socket, `delivery:${deliveryId}`, socket.data.user, ack, 'too many watched rooms');
      void sessionStillLive(socket, ack).then((live) => {
        if (!live) return;
        void socket.join(deliveryRoom(deliveryId));
        reply(ack, { ok: true });
      });
    });
    socket.on('delivery:unwatch', (deliveryId) => {
      if (typeof deliveryId === 'string') void socket.leave(deliveryRoom(deliveryId));
    });
  });

  return { shop, seller, courier, support };
}
