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
