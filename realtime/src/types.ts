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

export interface SocketData {
  user: SocketUser | null;
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
