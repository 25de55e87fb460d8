import type { DomainEvents, EventBus, Logger } from '@market/core';
import type { Namespace, ServerOptions, Socket } from 'socket.io';
import { sessionRoom, userRoom } from './rooms';
import type { RealtimeNamespaces, SocketData } from './types';

/**
 * A socket lives no longer than the login session it was opened with. Four things make that hold:
 * - `sessions.ended` (logout, password change, block, expiry) disconnects the session's room in every
 *   namespace, through the adapter, so with Redis on every node (`startSessionEnforcement`);
 * - a timer disconnects a socket when its session expires, even if no prune has run yet (`armExpiry`);
 * - a connection recovered after a network blip keeps its rooms only if its session is still live
 *   (`recoveryRequiresLiveSession`), and every room join checks the session again (namespaces.ts).
 */

type AdapterConstructor = ServerOptions['adapter'];
type Adapter = Namespace['adapter'];

/** setTimeout takes at most 2³¹−1 ms (~24.8 days); longer sessions re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Emits once in the cluster: like the fan-out, it acts only on events its own process published, and
 * `disconnectSockets` goes through the adapter to every node (the Redis streams adapter carries it).
 */
export function startSessionEnforcement(ns: RealtimeNamespaces, bus: EventBus, log?: Logger): () => void {
  const disconnect = (e: DomainEvents['sessions.ended']) => {
    for (const nsp of Object.values(ns) as Namespace[]) {
      const target = e.sessionIds
        ? nsp.in(e.sessionIds.map(sessionRoom))
        : nsp.in(userRoom(e.userId)).except(e.keptSessionId ? sessionRoom(e.keptSessionId) : []);
      // `true` closes the underlying connection: every namespace of that tab goes, and the client hears
      // "io server disconnect", so it does not reconnect with the dead cookie by itself.
      target.disconnectSockets(true);
    }
    // Blocks and password changes are worth a line in the log; logouts and expiries are routine.
    const level = ['blocked', 'password_changed', 'password_reset', 'account_closed'].includes(e.reason)
      ? 'info'
      : 'debug';
    log?.[level]({ userId: e.userId, reason: e.reason }, 'realtime sessions disconnected');
  };
  return bus.subscribe('sessions.ended', disconnect, { origin: 'local' });
}

/** Disconnects the socket when its session's lifetime is over (checked again at the re-armed end). */
export function armExpiry(socket: Socket, expiresAt: Date): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt.getTime() - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once('disconnect', () => clearTimeout(timer));
}

/**
 * Wraps the adapter so that connection-state recovery restores a socket (its rooms, its data, the
 * messages it missed) only while the login session it belonged to is live. Socket.IO restores before any
 * middleware runs and sends the missed messages at once, so this is the one place that can refuse: a
 * socket whose session ended during its blip connects afresh instead, and its middleware decides anew.
 */
export function recoveryRequiresLiveSession(
  base: AdapterConstructor,
  isSessionActive: (sessionId: string) => Promise<boolean>,
  log: Logger,
): AdapterConstructor {
  const Base = base as unknown as new (nsp: Namespace) => Adapter;
  // A plain function, as Socket.IO's own adapter factories are: `new` on it returns the adapter made here.
  return function sessionCheckedAdapter(nsp: Namespace): Adapter {
    const adapter = new Base(nsp);
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      const sessionId = (session?.data as SocketData | undefined)?.sessionId;
      if (!session || !sessionId) return session;
      const live = await isSessionActive(sessionId).catch((err: unknown) => {
        log.warn({ err }, 'session check for a recovery failed; starting the connection afresh');
        return false;
      });
      // Without a session to restore, Socket.IO simply makes a new socket: the client reads its state again.
      return live ? session : (null as unknown as typeof session);
    };
    return adapter;
  } as unknown as AdapterConstructor;
}
