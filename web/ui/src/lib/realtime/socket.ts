import { io, type Socket } from 'socket.io-client';
import {
  NAMESPACES,
  type CourierClientEvents,
  type CourierServerEvents,
  type LifecycleEvents,
  type NamespaceName,
  type SellerClientEvents,
  type SellerServerEvents,
  type ShopClientEvents,
  type ShopServerEvents,
  type SupportClientEvents,
  type SupportServerEvents,
} from '@market/realtime/contract';

export type {
  CourierLocationMessage,
  CourierPosition,
  DeliveryUpdatedMessage,
  FlashRemainingMessage,
  GroupProgressMessage,
  ImportProgressMessage,
  OpsAlertMessage,
  StockAlertMessage,
  StockChangedMessage,
} from '@market/realtime/contract';

export type ShopSocket = Socket<ShopServerEvents & LifecycleEvents, ShopClientEvents>;
export type SellerSocket = Socket<SellerServerEvents & LifecycleEvents, SellerClientEvents>;
export type CourierSocket = Socket<CourierServerEvents & LifecycleEvents, CourierClientEvents>;
export type SupportSocket = Socket<SupportServerEvents & LifecycleEvents, SupportClientEvents>;
/** The shopper's socket, which every page has (anonymous visitors too). */
export type RealtimeSocket = ShopSocket;

interface Sockets {
  shop: ShopSocket;
  seller: SellerSocket;
  courier: CourierSocket;
  support: SupportSocket;
}

/**
 * The app's realtime connection: one engine connection (same origin, `/socket.io`, the session cookie
 * tells the server who we are) multiplexing a socket per namespace. `/shop` is always open; the seller,
 * courier and support namespaces open on first use by a page of theirs, and stay open while the tab
 * lives (the seller's order chime works on every seller page).
 */
export class Realtime {
  readonly shop: ShopSocket;
  readonly #open = new Map<NamespaceName, Socket>();
  readonly #sessionEnded = new Set<() => void>();
  readonly #connectNow: boolean;

  /**
   * `connect: false` is for rendering on the server: the sockets exist, so the stores can register their
   * listeners, but never open (the browser makes its own app, with its own sockets, when it hydrates).
   */
  constructor(opts: { connect: boolean }) {
    this.#connectNow = opts.connect;
    this.shop = this.#connect('shop');
    // Every namespace of the tab is cut at once; the always-open shop socket speaks for all of them.
    this.shop.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') for (const listener of this.#sessionEnded) listener();
    });
  }

  /** The socket of a staff namespace, connected on first call. The server refuses the wrong role. */
  of<N extends Exclude<NamespaceName, 'shop'>>(name: N): Sockets[N] {
    return (this.#open.get(name) ?? this.#connect(name)) as Sockets[N];
  }

  /**
   * The session changed (login, logout): the server decides rooms and namespaces at handshake time, so
   * every namespace reconnects with the new cookie; ones the new identity may not use stay closed.
   */
  reconnect(): void {
    if (!this.#connectNow) return;
    for (const socket of this.#open.values()) socket.disconnect();
    for (const socket of this.#open.values()) socket.connect();
  }

  /**
   * The server ended this tab's session (logged out elsewhere, password changed, account blocked,
   * expired) and disconnected its sockets: they stay down until the app reads its session again.
   */
  onSessionEnded(listener: () => void): () => void {
    this.#sessionEnded.add(listener);
    return () => this.#sessionEnded.delete(listener);
  }

  #connect(name: NamespaceName): Socket {
    const socket = io(NAMESPACES[name], { withCredentials: true, autoConnect: this.#connectNow });
    // Refused (wrong role or signed out): stop retrying until the next `reconnect()`.
    socket.on('connect_error', (err: Error & { data?: { status?: number } }) => {
      if (err.data?.status === 401 || err.data?.status === 403) {
        socket.disconnect();
        return;
      }
      // Refused for a passing reason (503: the server could not read the session while its database
      // was down). Socket.IO never retries a refused handshake by itself, so try again a little later.
      if (!socket.active)
        setTimeout(
          () => {
            if (!socket.connected && !socket.active) socket.connect();
          },
          1000 + Math.random() * 2000,
        );
    });
    this.#open.set(name, socket);
    return socket;
  }
}
