import type { Coupon } from '../../lib/api/wire';
import { formatFen } from '../../lib/money';

/** Where a coupon is in its life, for its chip in the list. */
export type CouponPhase = 'off' | 'scheduled' | 'running' | 'ended' | 'used_up';

export function couponPhase(coupon: Coupon & { redeemed?: number }, now: number): CouponPhase {
  if (!coupon.active) return 'off';
  if (coupon.endsAt && Date.parse(coupon.endsAt) <= now) return 'ended';
  if (coupon.usageLimit !== null && (coupon.redeemed ?? 0) >= coupon.usageLimit) return 'used_up';
  if (Date.parse(coupon.startsAt) > now) return 'scheduled';
  return 'running';
}

/** "10%" or "¥15.00": the discount itself, without its cap. */
export function couponValueText(coupon: Pick<Coupon, 'kind' | 'value'>): string {
  return coupon.kind === 'percent' ? `${coupon.value}%` : formatFen(coupon.value);
}
