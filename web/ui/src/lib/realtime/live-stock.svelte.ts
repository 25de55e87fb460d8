import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { RealtimeSocket, StockChangedMessage } from './socket';
import type { StockSubscriptions } from './stock-subscriptions';

interface Level {
  available: number;
  /** Ledger version of the value; undefined only if a source did not say. */
  version: number | undefined;
}

export interface SkuStock {
  sku: string;
  available: number;
  version?: number;
}

/**
 * Live stock per SKU for the products on screen. The server only sends `stock.changed` for watched
 * products; a message older than the value we show is dropped, since deliveries can arrive out of order.
 */
export class LiveStock {
  readonly #levels = new SvelteMap<string, Level>();
  /** SKU lists per product, needed to sum a card's total from per-SKU messages. */
  readonly #skus = new SvelteMap<string, string[]>();
  readonly #loadingSkus = new SvelteMap<string, Promise<void>>();
  /** Products the server has confirmed it sends updates for, over the current connection. */
  readonly #live = new SvelteSet<string>();

  constructor(
    socket: RealtimeSocket,
    private readonly subscriptions: StockSubscriptions,
    /** Fetches every SKU of a product, for cards that only know the product's total. */
    private readonly loadSkus: (productId: string) => Promise<SkuStock[]>,
  ) {
    socket.on('stock.changed', (message) => this.#receive(message));
    subscriptions.onConfirmed((productIds) => {
      for (const id of productIds) this.#live.add(id);
    });
    subscriptions.onDisconnect(() => this.#live.clear());
    subscriptions.onRelease((productIds) => {
      for (const id of productIds) {
        this.#live.delete(id);
        this.#skus.delete(id);
        for (const k of [...this.#levels.keys()]) if (k.startsWith(`${id}\u0000`)) this.#levels.delete(k);
      }
    });
  }

  /** Starts receiving updates for a product; call the returned function when it leaves the screen. */
  watch(productId: string): () => void {
    return this.subscriptions.watch(productId);
  }

  /** Whether updates for this product are flowing right now (watched, connected, confirmed). */
  isLive(productId: string): boolean {
    return this.#live.has(productId);
  }

  onReconnect(listener: () => void): () => void {
    return this.subscriptions.onReconnect(listener);
  }

  /** Seeds values read over HTTP; whichever of it and a socket message has the higher version wins. */
  seed(productId: string, skus: SkuStock[]): void {
    this.#skus.set(
      productId,
      skus.map((s) => s.sku),
    );
    for (const s of skus) this.#apply(productId, s.sku, s.available, s.version, false);
  }

  /** Applies a value we wrote ourselves (the PUT response carries the ledger version). */
  update(productId: string, sku: string, available: number, version: number): void {
    this.#apply(productId, sku, available, version, true);
  }

  available(productId: string, sku: string, fallback: number): number {
    return this.#levels.get(key(productId, sku))?.available ?? fallback;
  }

  /** The product's total over all SKUs once its SKUs are known; `fallback` until then. */
  total(productId: string, fallback: number): number {
    const skus = this.#skus.get(productId);
    if (!skus) return fallback;
    return skus.reduce((sum, sku) => sum + (this.#levels.get(key(productId, sku))?.available ?? 0), 0);
  }

  #receive(message: StockChangedMessage): void {
    if (!this.subscriptions.isWatched(message.productId)) return;
    this.#apply(message.productId, message.sku, message.available, message.version, true);
    if (!this.#skus.has(message.productId)) this.#loadSkuList(message.productId);
  }

  #apply(
    productId: string,
    sku: string,
    available: number,
    version: number | undefined,
    live: boolean,
  ): void {
    const k = key(productId, sku);
    const current = this.#levels.get(k);
    if (current?.version !== undefined) {
      // Unversioned HTTP values never override a versioned one; versioned values never go backwards.
      if (version === undefined || version < current.version) return;
      if (version === current.version && !live) return;
    }
    this.#levels.set(k, { available, version });
  }

  #loadSkuList(productId: string): void {
    if (this.#loadingSkus.has(productId)) return;
    const loading = this.loadSkus(productId)
      .then((skus) => {
        if (this.subscriptions.isWatched(productId)) this.seed(productId, skus);
      })
      .catch((error: unknown) => console.warn('Could not load stock for product', productId, error))
      .finally(() => this.#loadingSkus.delete(productId));
    this.#loadingSkus.set(productId, loading);
  }
}

function key(productId: string, sku: string): string {
  return `${productId}\u0000${sku}`;
}
