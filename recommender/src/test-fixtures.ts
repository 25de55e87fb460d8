import type { Interaction, InteractionType, ItemInfo } from './types';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A fixed epoch for tests: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);

export function item(id: string, overrides: Partial<ItemInfo> = {}): ItemInfo {
  const categoryId = overrides.categoryId ?? 'phones';
  return {
    id,
    categoryId,
    categoryPath: overrides.categoryPath ?? ['electronics', categoryId],
    sellerId: 'seller-1',
    brand: 'Acme',
    price: 19_900,
    text: `item ${id}`,
    attributes: {},
    available: true,
    createdAt: T0,
    ...overrides,
  };
}

export function event(
  actorId: string,
  itemId: string,
  at: number,
  type: InteractionType = 'view',
): Interaction {
  return { actorId, itemId, type, at };
}

/** A deterministic pseudo-random generator (mulberry32), for shuffles and populations in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function shuffled<T>(values: T[], random: () => number): T[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
