import type { CartService } from '../cart';
import type { CatalogService } from '../catalog';
import type { CheckoutService, IdempotencyStore } from '../checkout';
import type { EventBus } from '../events';
import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import type { InventoryService } from '../inventory';
import type { Logger } from '../logger';
import type { LogisticsService } from '../logistics';
import type { MembershipService } from '../membership';
import type { OrderService } from '../orders';
import type { PaymentService } from '../payments';
import type { PromotionService } from '../promotions';
import type { ReferralService } from '../referrals';
import type { ReservationService } from '../reservations';
import type { SettlementService } from '../settlement';
import type { ShopService } from '../shops';
import type { UserService } from '../users';
import type { AfterSalesService } from '../aftersales';
import { createAfterSalesRefundFlow, type DebitSeller } from './aftersales';
import { createCheckoutFlow } from './checkout';
import { createDeliveryOrderSync } from './delivery-sync';
import { createReturnPickupFlow } from './return-pickup';
import { createFulfilment } from './fulfilment';
import { createGiveBacks } from './give-back';
import { createGroupMemberOrders } from './group-members';
import { createSellerProductFlows } from './seller-products';
import { createRegistrationFlow } from './seller-registration';
import { createSellerApprovalFlow } from './seller-approval';
import type { SellerApplicationService } from '../seller-applications';
import type { Clock } from '../clock';

/**
 * Every cross-domain flow, built last from the services it orchestrates (`core/src/services.ts`). The
 * services that set a flow off (an order event, a payment's outcome, a delivery's move) were handed the
 * flow as a small interface when they were built: no setter, no module state, no domain importing
 * another's models.
 */
export function createFlows(deps: {
  log: Logger;
  bus: EventBus;
  clock?: Clock;
  users: UserService;
  shops: ShopService;
  sellerApplications: SellerApplicationService;
  catalog: CatalogService;
  inventory: InventoryService;
  cart: CartService;
  checkouts: CheckoutService;
  idempotency: IdempotencyStore;
  orders: OrderService;
  reservations: ReservationService;
  flashSales: FlashSaleService;
  groupBuying: GroupBuyingService;
  payments: PaymentService;
  promotions: PromotionService;
  membership: MembershipService;
  referrals: ReferralService;
  logistics: LogisticsService;
  settlement: SettlementService;
  aftersales: AfterSalesService;
  /** The seller's side of an after-sales refund (the settlement ledger, once merged). */
  debitSeller: DebitSeller;
}) {
  const giveBack = createGiveBacks(deps);
  return {
    registration: createRegistrationFlow({ ...deps, applications: deps.sellerApplications }),
    sellerApproval: createSellerApprovalFlow({ ...deps, applications: deps.sellerApplications }),
    sellerProducts: createSellerProductFlows(deps),
    fulfilment: createFulfilment({ ...deps, giveBack }),
    checkout: createCheckoutFlow({ ...deps, giveBack }),
    groupMembers: createGroupMemberOrders(deps),
    deliverySync: createDeliveryOrderSync(deps),
    afterSalesRefund: createAfterSalesRefundFlow({ ...deps, aftersales: () => deps.aftersales }),
    returnPickup: createReturnPickupFlow({ ...deps, aftersales: () => deps.aftersales }),
  };
}

export type Flows = ReturnType<typeof createFlows>;
