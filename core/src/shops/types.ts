/**
 * Where a shop stands with the marketplace: `pending` until staff approve its seller application,
 * `active` while it trades, `suspended` when staff stop it (reinstating makes it active again).
 */
export const SHOP_STATUSES = ['pending', 'active', 'suspended'] as const;
export type ShopStatus = (typeof SHOP_STATUSES)[number];

export interface Shop {
  id: string;
  ownerId: string;
  name: string;
  nameZh: string;
  slug: string;
  city: string;
  status: ShopStatus;
  /** Why it was last moved (a suspension's reason, an approval's note); null when nobody said. */
  statusReason: string | null;
  statusChangedAt: Date | null;
  statusChangedBy: string | null;
  /** The owner's account is blocked: the shop is hidden whatever its status (unblocking shows it again). */
  ownerBlocked: boolean;
  /** Grows with every status or owner-block change: read models keep the highest they have seen. */
  statusVersion: number;
  createdAt: Date;
}

/** Whether shoppers may see and buy from a shop: active and its owner not blocked. */
export function isShopOpen(shop: Pick<Shop, 'status' | 'ownerBlocked'>): boolean {
  return shop.status === 'active' && !shop.ownerBlocked;
}
