import { describeError } from './api/api-error';
import type { CartApi } from './api/cart-api';
import type { Cart } from './api/wire';
import type { Session } from './session.svelte';

/**
 * The shopper's cart as last read from the server, shared by the header badge, the product page and the
 * cart page. Every change goes through here, and each answer is the whole re-priced cart, so whatever shows
 * the cart stays in step without reloading.
 */
export class CartStore {
  cart = $state<Cart | null>(null);
  /** True once the first read finished (successfully or not). */
  loaded = $state(false);
  /** Why the last read failed, until a read succeeds. */
  error = $state<string | null>(null);
  readonly itemCount = $derived(this.cart?.itemCount ?? 0);
  /** Answers older than the newest request are dropped: a slow GET must not undo a later change. */
  #sequence = 0;

  constructor(private readonly api: CartApi) {}

  /** Loads the cart now and again whenever someone logs in or out (a guest cart is merged at login). */
  followSession(session: Session): void {
    void this.refresh();
    session.onUserChanged(() => void this.refresh());
  }

  async refresh(): Promise<Cart | null> {
    try {
      const cart = await this.#apply(this.api.get());
      this.error = null;
      return cart;
    } catch (error) {
      this.error = describeError(error);
      return this.cart;
    } finally {
      this.loaded = true;
    }
  }

  /** Units of `sku` already in the cart. */
  quantityOf(sku: string): number {
    for (const group of this.cart?.groups ?? [])
      for (const line of group.lines) if (line.sku === sku) return line.qty;
    return 0;
  }

  add(sku: string, qty: number): Promise<Cart> {
    return this.#apply(this.api.add(sku, qty));
  }

  setQty(sku: string, qty: number): Promise<Cart> {
    return this.#apply(this.api.setQty(sku, qty));
  }

  remove(sku: string): Promise<Cart> {
    return this.#apply(this.api.remove(sku));
  }

  acknowledgePrices(): Promise<Cart> {
    return this.#apply(this.api.acknowledgePrices());
  }

  async #apply(request: Promise<Cart>): Promise<Cart> {
    const sequence = ++this.#sequence;
    const cart = await request;
    if (sequence === this.#sequence) this.cart = cart;
    return cart;
  }
}
