import type { Socket } from 'socket.io';
import { AUTOMATIC_ROOM_PREFIXES } from './rooms';
import { MAX_ROOMS_PER_SOCKET } from './contract';

/** Client events one socket may send per second before they are refused. */
export const CLIENT_EVENTS_PER_SECOND = 20;
/** Packets waiting for a socket's transport before it is treated as too slow and cut off. */
export const SLOW_CLIENT_BUFFERED_PACKETS = 2_000;

/** How many watch rooms (products, orders, deliveries) the socket holds, not counting automatic ones. */
export function watchedRooms(socket: Socket): number {
  let n = 0;
  for (const room of socket.rooms)
    if (room !== socket.id && !AUTOMATIC_ROOM_PREFIXES.some((p) => room.startsWith(p))) n++;
  return n;
}

export function roomBudgetLeft(socket: Socket): number {
  return MAX_ROOMS_PER_SOCKET - watchedRooms(socket);
}

/**
 * A fixed one-second window per socket: cheap, and enough to stop a runaway client loop. Returns false
 * when this event is over the budget (the handler answers it with an error and does nothing).
 */
export function createEventBudget(perSecond = CLIENT_EVENTS_PER_SECOND): () => boolean {
  let windowStart = 0;
  let used = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= 1_000) {
      windowStart = now;
      used = 0;
    }
    return ++used <= perSecond;
  };
}

/**
 * Packets engine.io holds for the socket's connection and has not written yet. A client that reads
 * slower than we produce grows this without bound; past the limit we close its transport so it
 * reconnects (and recovers what it missed) instead of holding the node's memory.
 */
export function bufferedPackets(conn: { writeBuffer?: unknown[] }): number {
  return conn.writeBuffer?.length ?? 0;
}

/** engine.io's open connections on this node (its `clients` map is not part of the typed API). */
export function engineConnections(io: {
  engine: unknown;
}): { writeBuffer?: unknown[]; remoteAddress: string; close(): void }[] {
  const clients = (io.engine as { clients?: Record<string, never> }).clients ?? {};
  return Object.values(clients);
}
