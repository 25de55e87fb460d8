import { SvelteSet } from 'svelte/reactivity';
import type { FavouritesApi } from './api/accounts-api';
import type { FavouriteKind, FavouritePage } from './api/wire';
import type { Session } from './session.svelte';

/** How far the store reads the shopper's favourites to colour the hearts (the favourites page pages further). */
const HEART_PAGES = 4;

/**
 * Which products and shops the signed-in shopper favourited, shared by every heart on the page, so a
 * toggle on the product page shows on its card too. Toggles are optimistic and roll back on failure.
 */
export class FavouriteStore {
  readonly #keys = new SvelteSet<string>();
  #sequence = 0;

  constructor(private readonly api: FavouritesApi) {}

  followSession(session: Session): void {
    void this.load(session.user !== null);
    session.onUserChanged((user) => void this.load(user !== null));
  }

  async load(signedIn: boolean): Promise<void> {
    const sequence = ++this.#sequence;
    this.#keys.clear();
    if (!signedIn) return;
    for (const kind of ['product', 'shop'] as const) {
      let cursor: string | null = null;
      for (let page = 0; page < HEART_PAGES; page++) {
        const result: FavouritePage | null = await this.api.list(kind, cursor).catch(() => null);
        if (!result || sequence !== this.#sequence) return;
        for (const f of result.items) this.#keys.add(`${kind}:${f.targetId}`);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    }
  }

  has(kind: FavouriteKind, id: string): boolean {
    return this.#keys.has(`${kind}:${id}`);
  }

  /** Flips the heart now and tells the server; returns the server's count, or throws after rolling back. */
  async toggle(kind: FavouriteKind, id: string): Promise<number> {
    const key = `${kind}:${id}`;
    const next = !this.#keys.has(key);
    if (next) this.#keys.add(key);
    else this.#keys.delete(key);
    try {
      const state = await this.api.set(kind, id, next);
      if (state.favourited) this.#keys.add(key);
      else this.#keys.delete(key);
      return state.count;
    } catch (error) {
      if (next) this.#keys.delete(key);
      else this.#keys.add(key);
      throw error;
    }
  }
}
