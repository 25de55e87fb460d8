export {
  defineFlow,
  refuse,
  FlowCompensationError,
  type Flow,
  type FlowDefinition,
  type FlowStep,
  type Refusal,
  type CompensationFailure,
} from './flow';
export { createFlows, type Flows } from './flows';
export type { CheckoutFlow } from './checkout';
export {
  afterSalesRefundRef,
  type AfterSalesRefundFlow,
  type DebitSeller,
  type SellerDebit,
} from './aftersales';
export type { DeliveryOrderSync } from './delivery-sync';
export type { Fulfilment } from './fulfilment';
export type { RegistrationFlow, RegistrationInput } from './seller-registration';
export type { SellerProductFlows } from './seller-products';
export type { SellerApprovalFlow } from './seller-approval';
