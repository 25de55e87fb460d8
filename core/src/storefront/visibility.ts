import type { Product } from '../catalog/types';
import type { Shop } from '../shops/types';

/** Why shoppers cannot see or buy a product, or null when it is on sale. */
export const HIDDEN_REASONS = ['taken_down', 'shop_pending', 'shop_suspended', 'owner_blocked'] as const;
export type HiddenReason = (typeof HIDDEN_REASONS)[number];

/**
 * The one rule for "on sale": the product is not taken down and its shop trades (approved, not
 * suspended, owner not blocked). The listing projector, the cart, checkout pricing and the product page
 * all ask this, so a product cannot be hidden in one and buyable in another.
 */
export function hiddenReason(
  product: Pick<Product, 'takedown'>,
  shop: Pick<Shop, 'status' | 'ownerBlocked'> | null,
): HiddenReason | null {
  if (product.takedown) return 'taken_down';
  if (!shop) return null;
  if (shop.ownerBlocked) return 'owner_blocked';
  if (shop.status === 'pending') return 'shop_pending';
  if (shop.status === 'suspended') return 'shop_suspended';
  return null;
}
