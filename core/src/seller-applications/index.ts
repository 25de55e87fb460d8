export {
  createSellerApplicationService,
  type ApplicationChange,
  type SellerApplicationService,
} from './service';
export * from './types';
export { creditCodeProblem, mainlandMobile, residentIdProblem } from './credit-code';
