import type { ItemInfo } from './types';

const ItemState = {
  /** Seen in events only: recommendable in unscoped lists, since nothing says it is unavailable. */
  EventsOnly: 0,
  Listed: 1,
  /** Never recommended again unless upserted: late events about a deleted product do not bring it back. */
  Removed: 2,
} as const;

const EMPTY: ReadonlySet<number> = new Set();

/**
 * Dense item indexes (every per-item array of the recommender is indexed by them) and what the catalog
 * says about each item: its info, whether it may be recommended, and the scopes it belongs to (category
 * with its ancestors, seller, brand). An index is never reused, so logs that mention it stay valid.
 */
export class Catalog {
  private readonly indexById = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly infos: (ItemInfo | undefined)[] = [];
  private states = new Uint8Array(1024);
  /** `isRecommendable` by index, kept with the states: read per candidate, without touching the info. */
  private recommendable = new Uint8Array(1024);
  private readonly byCategory = new Map<string, Set<number>>();
  private readonly bySeller = new Map<string, Set<number>>();
  private readonly byBrand = new Map<string, Set<number>>();
  private removedCount = 0;

  /** Number of indexes ever assigned. */
  get size(): number {
    return this.ids.length;
  }

  /** Items known and not removed. */
  get activeCount(): number {
    return this.ids.length - this.removedCount;
  }

  indexOf(itemId: string): number | undefined {
    return this.indexById.get(itemId);
  }

  /** The item's index, assigning one on first sight. */
  ensure(itemId: string): number {
    let index = this.indexById.get(itemId);
    if (index === undefined) {
      index = this.ids.length;
      this.indexById.set(itemId, index);
      this.ids.push(itemId);
      this.infos.push(undefined);
      if (index >= this.states.length) {
        const next = new Uint8Array(this.states.length * 2);
        next.set(this.states);
        this.states = next;
        const recommendable = new Uint8Array(next.length);
        recommendable.set(this.recommendable);
        this.recommendable = recommendable;
      }
      this.recommendable[index] = 1;
    }
    return index;
  }

  id(index: number): string {
    return this.ids[index]!;
  }

  info(index: number): ItemInfo | undefined {
    return this.infos[index];
  }

  /** Listed and available, or known from events only; never removed or out of stock. */
  isRecommendable(index: number): boolean {
    return this.recommendable[index] === 1;
  }

  upsert(item: ItemInfo): number {
    const index = this.ensure(item.id);
    const previous = this.infos[index];
    if (previous) this.unindexScopes(index, previous);
    if (this.states[index] === ItemState.Removed) this.removedCount--;
    this.infos[index] = { ...item, categoryPath: [...item.categoryPath], attributes: { ...item.attributes } };
    this.states[index] = ItemState.Listed;
    this.recommendable[index] = item.available ? 1 : 0;
    this.indexScopes(index, item);
    return index;
  }

  /** Returns the removed item's index, or undefined when it was unknown or already removed. */
  remove(itemId: string): number | undefined {
    const index = this.indexById.get(itemId);
    if (index === undefined || this.states[index] === ItemState.Removed) return undefined;
    const previous = this.infos[index];
    if (previous) this.unindexScopes(index, previous);
    this.infos[index] = undefined;
    this.states[index] = ItemState.Removed;
    this.recommendable[index] = 0;
    this.removedCount++;
    return index;
  }

  /** Not removed. */
  isKnown(index: number): boolean {
    return index < this.ids.length && this.states[index] !== ItemState.Removed;
  }

  /** Items of a category or any of its descendants. */
  inCategory(categoryId: string): ReadonlySet<number> {
    return this.byCategory.get(categoryId) ?? EMPTY;
  }

  ofSeller(sellerId: string): ReadonlySet<number> {
    return this.bySeller.get(sellerId) ?? EMPTY;
  }

  ofBrand(brand: string): ReadonlySet<number> {
    return this.byBrand.get(brand) ?? EMPTY;
  }

  private indexScopes(index: number, item: ItemInfo): void {
    for (const category of categoriesOf(item)) addTo(this.byCategory, category, index);
    addTo(this.bySeller, item.sellerId, index);
    if (item.brand) addTo(this.byBrand, item.brand, index);
  }

  private unindexScopes(index: number, item: ItemInfo): void {
    for (const category of categoriesOf(item)) removeFrom(this.byCategory, category, index);
    removeFrom(this.bySeller, item.sellerId, index);
    if (item.brand) removeFrom(this.byBrand, item.brand, index);
  }
}

function categoriesOf(item: ItemInfo): Set<string> {
  return new Set([...item.categoryPath, item.categoryId]);
}

function addTo(map: Map<string, Set<number>>, key: string, index: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(index);
}

function removeFrom(map: Map<string, Set<number>>, key: string, index: number): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(index);
  if (set.size === 0) map.delete(key);
}
