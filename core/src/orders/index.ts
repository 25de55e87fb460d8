export {
  createOrderService,
  roleOn,
  type OrderService,
  type OrderActor,
  type OrderEffects,
  type TransitionResult,
} from './service';
export { TRANSITIONS, nextStatuses, FINAL_STATUSES, UNSHIPPED_PAID } from './state';
export type { OrderDoc, OrderEventDoc } from './model';
export * from './types';
