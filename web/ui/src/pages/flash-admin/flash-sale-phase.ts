import type { ManagedFlashSale } from '../../lib/api/wire';

/** Where a sale is in its life, for its chip in the management list. */
export type FlashSalePhase = 'scheduled' | 'live' | 'ended' | 'cancelled';

export function flashSalePhase(sale: ManagedFlashSale, now: number): FlashSalePhase {
  if (sale.cancelled) return 'cancelled';
  if (sale.status === 'closed' || Date.parse(sale.endsAt) <= now) return 'ended';
  return Date.parse(sale.startsAt) > now ? 'scheduled' : 'live';
}

/** Whether its seller can still end it early (a closed sale's units are already back in stock). */
export const canCancel = (sale: ManagedFlashSale, now: number): boolean =>
  sale.status === 'open' && Date.parse(sale.endsAt) > now;
