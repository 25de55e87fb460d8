import type { Namespace, Server, Socket } from 'socket.io';
import type {
  CourierClientEvents,
  LifecycleEvents,
  CourierServerEvents,
  SellerClientEvents,
  SellerServerEvents,
  ShopClientEvents,
  ShopServerEvents,
  SupportClientEvents,
  SupportServerEvents,
} from './contract';

export interface SocketUser {
  id: string;
  roles: readonly string[];
}

/** The login session behind a connection (from its cookie at handshake). */
export interface SocketSession {
  /** Opaque session id: names the session's room; never the cookie token. */
  id: string;
  user: SocketUser;
  expiresAt: Date;
}

export interface SocketData {
  user: SocketUser | null;
  /** Kept with the socket through connection-state recovery, so a recovery can be checked against it. */
  sessionId: string | null;
}

type Events = Record<string, never>;

export type ShopNamespace = Namespace<
  ShopClientEvents,
  ShopServerEvents & LifecycleEvents,
  Events,
  SocketData
>;
export type SellerNamespace = Namespace<
  SellerClientEvents,
  SellerServerEvents & LifecycleEvents,
  Events,
  SocketData
>;
export type CourierNamespace = Namespace<
  CourierClientEvents,
  CourierServerEvents & LifecycleEvents,
  Events,
  SocketData
>;
export type SupportNamespace = Namespace<
  SupportClientEvents,
  SupportServerEvents & LifecycleEvents,
  Events,
  SocketData
>;

export interface RealtimeNamespaces {
  shop: ShopNamespace;
  seller: SellerNamespace;
  courier: CourierNamespace;
  support: SupportNamespace;
}

export type ShopSocket = Socket<ShopClientEvents, ShopServerEvents & LifecycleEvents, Events, SocketData>;
export type CourierSocket = Socket<
  CourierClientEvents,
  CourierServerEvents & LifecycleEvents,
  Events,
  SocketData
>;
export type SupportSocket = Socket<
  SupportClientEvents,
  SupportServerEvents & LifecycleEvents,
  Events,
  SocketData
>;
export type AnyServer = Server;
