export { createSellerProductFlows, type SellerProductFlows } from './product-flows';
export { createRegistrationFlow, type RegistrationFlow } from './registration';
