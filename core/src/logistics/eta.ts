import type { LatLng } from './area';
import { haversineM, travelMs } from './geo';
import type { DeliveryStatus } from './types';

/** Below this a reported speed means "stopped at a light", not the pace of the trip. */
const MIN_TRUSTED_SPEED_KMH = 5;

/**
 * Metres left for the courier: to the shop and on to the address before pickup, straight to the address
 * after. Without a fix yet, the courier is assumed at the shop.
 */
export function remainingM(
  status: DeliveryStatus,
  at: LatLng | null,
  pickup: LatLng,
  dropoff: LatLng,
): number {
  const leg = haversineM(pickup, dropoff);
  if (status === 'assigned' || status === 'accepted') return (at ? haversineM(at, pickup) : 0) + leg;
  return haversineM(at ?? pickup, dropoff);
}

/**
 * Expected arrival from the remaining straight-line distance and a speed: the courier's reported speed
 * when they are moving, else the configured city average.
 */
export function estimateArrival(opts: {
  status: DeliveryStatus;
  position: LatLng | null;
  speedKmh: number | null;
  pickup: LatLng;
  dropoff: LatLng;
  averageSpeedKmh: number;
  now: Date;
}): Date {
  const speed =
    opts.speedKmh !== null && opts.speedKmh >= MIN_TRUSTED_SPEED_KMH ? opts.speedKmh : opts.averageSpeedKmh;
  const metres = remainingM(opts.status, opts.position, opts.pickup, opts.dropoff);
  return new Date(opts.now.getTime() + travelMs(metres, speed));
}
