import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../../realtime/src/contract';

export type { ImportProgressMessage, StockChangedMessage } from '../../../../../realtime/src/contract';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Same origin, path `/socket.io`; the session cookie tells the server who we are. */
export function connectRealtime(): RealtimeSocket {
  return io({ withCredentials: true });
}
