import type { CatalogApi } from './api/catalog-api';
import type { Category } from './api/wire';

/** The category tree, loaded once per page load (it changes rarely and every page needs it). */
export class CategoryStore {
  items = $state<Category[]>([]);
  error = $state<string | null>(null);
  loaded = $state(false);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt, never mutated, when items change
  readonly byId = $derived(new Map(this.items.map((c) => [c.id, c])));
  readonly departments = $derived(this.items.filter((c) => c.parentId === null));
  #loading: Promise<void> | null = null;

  constructor(private readonly catalog: CatalogApi) {}

  load(): Promise<void> {
    this.#loading ??= this.catalog
      .listCategories()
      .then((items) => {
        this.items = items;
        this.error = null;
      })
      .catch((error: unknown) => {
        this.error = error instanceof Error ? error.message : String(error);
        this.#loading = null;
      })
      .finally(() => {
        this.loaded = true;
      });
    return this.#loading;
  }

  childrenOf(parentId: string | null): Category[] {
    return this.items.filter((c) => c.parentId === parentId);
  }

  /** Root first, the category itself last. */
  pathTo(id: string): Category[] {
    const path: Category[] = [];
    for (
      let c = this.byId.get(id);
      c && path.length < 20;
      c = c.parentId ? this.byId.get(c.parentId) : undefined
    ) {
      path.unshift(c);
    }
    return path;
  }
}
