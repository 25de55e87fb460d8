import type { Server as HttpServer } from 'node:http';
import type { EventBus, Logger, Redis } from '@market/core';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server, type ServerOptions } from 'socket.io';
import { SessionAwareAdapter } from 'socket.io-adapter';
import { NAMESPACES } from './contract';
import { startFanout } from './fanout';
import { bufferedPackets, engineConnections, SLOW_CLIENT_BUFFERED_PACKETS } from './guards';
import { setupNamespaces, type NamespaceDeps } from './namespaces';
import { recoveryRequiresLiveSession, startSessionEnforcement } from './session-guard';
import type { RealtimeNamespaces } from './types';

/** How long a disconnected client's missed messages are kept for it (connection-state recovery). */
export const RECOVERY_WINDOW_MS = 2 * 60_000;
/** Largest message a client may send (ids and position fixes are tiny). */
export const MAX_CLIENT_PAYLOAD_BYTES = 16 * 1024;
const SLOW_CLIENT_SWEEP_MS = 2_000;
/** Redis stream the adapter shares between nodes; trimmed to about this many messages. */
const STREAM_MAX_LEN = 100_000;

export interface Realtime {
  io: Server;
  namespaces: RealtimeNamespaces;
  /** Tells every client of this node to reconnect elsewhere, then closes the server. */
  close(): Promise<void>;
}

function serverOptions(
  redis: Redis | null | undefined,
  recovery?: { isSessionActive: (sessionId: string) => Promise<boolean>; log: Logger },
): Partial<ServerOptions> {
  // With Redis, every emit goes through one Redis stream that every node reads, and each node stores
  // recovery sessions there too, so a client may come back to any node within the window.
  const adapter: ServerOptions['adapter'] = redis
    ? (createAdapter(redis, { streamName: 'market:sio', maxLen: STREAM_MAX_LEN }) as never)
    : SessionAwareAdapter;
  return {
    serveClient: false,
    maxHttpBufferSize: MAX_CLIENT_PAYLOAD_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    adapter: recovery
      ? recoveryRequiresLiveSession(adapter, recovery.isSessionActive, recovery.log)
      : adapter,
  };
}

/**
 * Socket.IO on the app's HTTP server. Handshakes read the same session cookie as the HTTP API, so a
 * socket is exactly as authenticated as the page that opened it. Domain events from the bus are fanned
 * out to rooms; clients never publish domain events (a courier's position goes through `reportPosition`).
 */
export function attachRealtime(
  deps: NamespaceDeps & { httpServer: HttpServer; bus: EventBus; redis?: Redis | null },
): Realtime {
  const io = new Server(deps.httpServer, serverOptions(deps.redis, deps));
  const namespaces = setupNamespaces(io, deps);
  const stopFanout = startFanout(namespaces, deps.bus);
  const stopSessionEnforcement = startSessionEnforcement(namespaces, deps.bus, deps.log);

  // A client that reads slower than we write would hold an ever-growing buffer; cut it off so it
  // reconnects and recovers what it missed (or reads its state again) once it can keep up.
  const sweep = setInterval(() => {
    for (const conn of engineConnections(io)) {
      const buffered = bufferedPackets(conn);
      if (buffered > SLOW_CLIENT_BUFFERED_PACKETS) {
        deps.log.warn({ buffered, ip: conn.remoteAddress }, 'closing a slow realtime client');
        conn.close();
      }
    }
  }, SLOW_CLIENT_SWEEP_MS);
  sweep.unref();

  return {
    io,
    namespaces,
    async close() {
      clearInterval(sweep);
      stopFanout();
      stopSessionEnforcement();
      // Only this node's clients: they reconnect, and the load balancer sends them to a node that stays.
      for (const name of Object.values(NAMESPACES))
        io.of(name).local.emit('server:draining', { reconnectAfterMs: 500 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await io.close();
    },
  };
}

/**
 * For processes without an HTTP server (workers): events they publish still reach every client,
 * through the Redis adapter. Without Redis there is no other node to reach, so nothing is started.
 */
export function createRealtimeEmitter(deps: {
  bus: EventBus;
  redis: Redis | null | undefined;
}): { close(): Promise<void> } | null {
  if (!deps.redis) return null;
  const io = new Server(serverOptions(deps.redis));
  const namespaces = {
    shop: io.of(NAMESPACES.shop),
    seller: io.of(NAMESPACES.seller),
    courier: io.of(NAMESPACES.courier),
    support: io.of(NAMESPACES.support),
  } as RealtimeNamespaces;
  const stopFanout = startFanout(namespaces, deps.bus);
  // Sessions the prune job ends here are disconnected on the app nodes through the adapter.
  const stopSessionEnforcement = startSessionEnforcement(namespaces, deps.bus);
  return {
    async close() {
      stopFanout();
      stopSessionEnforcement();
      await io.close();
    },
  };
}
