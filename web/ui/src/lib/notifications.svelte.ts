import type { AccountApi } from './api/account-api';
import type { Notification } from './api/wire';
import type { RealtimeSocket } from './realtime/socket';
import type { Session } from './session.svelte';

/**
 * The bell: the signed-in person's unread count and latest notifications. It reads them once per
 * identity and on every fresh connection, then follows `notification.new` / `notification.read` from
 * the socket (room `user:<id>`); an id it already shows is the same notification delivered again.
 */
export class Notifications {
  unread = $state(0);
  items = $state<Notification[]>([]);
  nextBefore = $state<number | null>(null);
  #signedIn = false;

  constructor(
    private readonly api: AccountApi,
    socket: RealtimeSocket,
  ) {
    socket.on('notification.new', (m) => {
      this.unread = m.unread;
      if (this.items.some((n) => n.id === m.notificationId)) return;
      this.items = [
        {
          id: m.notificationId,
          type: m.type as Notification['type'],
          title: m.title,
          body: m.body,
          link: m.link,
          read: false,
          createdAt: m.at,
        },
        ...this.items,
      ];
    });
    socket.on('notification.read', (m) => {
      this.unread = m.unread;
      this.items = this.items.map((n) =>
        m.notificationIds === null || m.notificationIds.includes(n.id) ? { ...n, read: true } : n,
      );
    });
    // A fresh connection (not a recovered one) may have missed messages: read again.
    socket.on('connect', () => {
      if (!socket.recovered && this.#signedIn) void this.refresh();
    });
  }

  followSession(session: Session): void {
    const follow = () => {
      this.#signedIn = !!session.user;
      if (this.#signedIn) void this.refresh();
      else {
        this.unread = 0;
        this.items = [];
      }
    };
    follow();
    session.onUserChanged(follow);
  }

  async refresh(): Promise<void> {
    const page = await this.api.notifications();
    this.items = page.items;
    this.unread = page.unread;
    this.nextBefore = page.nextBefore;
  }

  async loadMore(): Promise<void> {
    if (!this.nextBefore) return;
    const page = await this.api.notifications(this.nextBefore);
    this.items = [...this.items, ...page.items.filter((n) => !this.items.some((m) => m.id === n.id))];
    this.nextBefore = page.nextBefore;
  }

  async markRead(id: string): Promise<void> {
    const { unread } = await this.api.markRead(id);
    this.unread = unread;
    this.items = this.items.map((n) => (n.id === id ? { ...n, read: true } : n));
  }

  async markAllRead(): Promise<void> {
    const { unread } = await this.api.markAllRead();
    this.unread = unread;
    this.items = this.items.map((n) => ({ ...n, read: true }));
  }
}
