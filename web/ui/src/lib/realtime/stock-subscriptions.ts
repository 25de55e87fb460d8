import type { RealtimeSocket } from './socket';

/** Mirrors `MAX_WATCHED_PER_CALL` in the realtime contract (imported type-only, so restated here). */
const MAX_IDS_PER_EMIT = 200;
/** Cards mount and unmount in bursts while scrolling; one emit per burst is plenty. */
const FLUSH_DELAY_MS = 50;

/**
 * Which products this tab watches, reference-counted so a card and a product page can share one room,
 * sent to the server in batches. Rooms survive a short drop (the server recovers the connection); after a
 * longer one, or a new session, everything is watched again.
 */
export class StockSubscriptions {
  readonly #counts = new Map<string, number>();
  readonly #pendingWatch = new Set<string>();
  readonly #pendingUnwatch = new Set<string>();
  readonly #reconnectListeners = new Set<() => void>();
  readonly #releaseListeners = new Set<(productIds: string[]) => void>();
  readonly #confirmedListeners = new Set<(productIds: string[]) => void>();
  readonly #disconnectListeners = new Set<() => void>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly socket: RealtimeSocket) {
    let connectedBefore = false;
    socket.on('connect', () => {
      // A recovered connection kept its rooms and got what it missed; nothing to redo.
      if (socket.recovered) return;
      this.#pendingWatch.clear();
      this.#pendingUnwatch.clear();
      this.#emit('products:watch', [...this.#counts.keys()]);
      if (connectedBefore) for (const listener of this.#reconnectListeners) listener();
      connectedBefore = true;
    });
    socket.on('disconnect', () => {
      for (const listener of this.#disconnectListeners) listener();
    });
  }

  isWatched(productId: string): boolean {
    return this.#counts.has(productId);
  }

  /** Returns the function that ends this interest; the room is left when the last interest ends. */
  watch(productId: string): () => void {
    const count = this.#counts.get(productId) ?? 0;
    this.#counts.set(productId, count + 1);
    if (count === 0) this.#queue(productId, this.#pendingWatch, this.#pendingUnwatch);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.#counts.get(productId) ?? 1) - 1;
      if (remaining > 0) {
        this.#counts.set(productId, remaining);
        return;
      }
      this.#counts.delete(productId);
      this.#queue(productId, this.#pendingUnwatch, this.#pendingWatch);
    };
  }

  /** After a reconnect: messages may have been missed, so values should be read again. */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  /** When products are no longer watched at all, so cached values can be dropped. */
  onRelease(listener: (productIds: string[]) => void): () => void {
    this.#releaseListeners.add(listener);
    return () => this.#releaseListeners.delete(listener);
  }

  /** When the server confirmed it will send updates for these products (the `products:watch` ack). */
  onConfirmed(listener: (productIds: string[]) => void): () => void {
    this.#confirmedListeners.add(listener);
    return () => this.#confirmedListeners.delete(listener);
  }

  onDisconnect(listener: () => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  #queue(productId: string, add: Set<string>, opposite: Set<string>): void {
    // A watch and an unwatch within one batch (a card re-rendering) cancel out.
    if (!opposite.delete(productId)) add.add(productId);
    if (this.#flushTimer === null) this.#flushTimer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
  }

  #flush(): void {
    this.#flushTimer = null;
    const watch = [...this.#pendingWatch];
    const unwatch = [...this.#pendingUnwatch];
    this.#pendingWatch.clear();
    this.#pendingUnwatch.clear();
    if (unwatch.length) for (const listener of this.#releaseListeners) listener(unwatch);
    // While disconnected, the `connect` handler watches everything at once.
    if (!this.socket.connected) return;
    this.#emit('products:unwatch', unwatch);
    this.#emit('products:watch', watch);
  }

  #emit(event: 'products:watch' | 'products:unwatch', ids: string[]): void {
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_EMIT) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_EMIT);
      if (event === 'products:unwatch') {
        this.socket.emit('products:unwatch', chunk);
        continue;
      }
      this.socket.emit('products:watch', chunk, (result) => {
        if (!result.ok) {
          console.warn('products:watch refused', result.error);
          return;
        }
        const stillWatched = chunk.filter((id) => this.#counts.has(id));
        for (const listener of this.#confirmedListeners) listener(stillWatched);
      });
    }
  }
}
