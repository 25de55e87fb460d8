export { createLogisticsService, deliveryIdOf, type LogisticsService, type LogisticsConfig } from './service';
export type { OrderLookup } from './order-deliveries';
export type { ReturnPickupBooking } from './return-deliveries';
export { DELIVERY_AREA, type DeliveryArea, type District, type LatLng, type Road } from './area';
export { geocode, haversineM, placeFor, shopPlace } from './geo';
export { estimateArrival } from './eta';
export { deliveryActions, FINAL_DELIVERY_STATUSES, CARRYING } from './state';
export { validatePosition, type PositionInput } from './positions';
export { MAX_PROOF_BYTES, sniffImageType } from './proofs';
export * from './types';

/** The frequent job (offers that timed out, waiting deliveries, late and silent alerts). */
export const LOGISTICS_SWEEP_JOB = 'logistics.sweep';
/** The hourly job that finishes what a crash cut short. */
export const LOGISTICS_RECONCILE_JOB = 'logistics.reconcile';
