import type { AfterSalesService, RefundTask } from '../aftersales';
import type { InventoryService } from '../inventory';
import type { Logger } from '../logger';
import { FINAL_STATUSES, type OrderService } from '../orders';
import { defineFlow } from './flow';

const system = { id: null, role: 'system' as const };

/** The seller's side of an after-sales refund, as the settlement ledger will record it. */
export interface SellerDebit {
  requestId: string;
  orderId: string;
  sellerId: string;
  amount: number;
  /** The order stream's refund ref (`as_<requestId>`): the settlement's key for this refund. */
  refundRef: string;
}

/**
 * Debits the seller for a refund, exactly once per `refundRef`. The settlement ledger (branch
 * `money-settlement`) provides it; until it is wired in `services.ts` the step records nothing.
 */
export type DebitSeller = (debit: SellerDebit) => Promise<void>;

/** The order stream's refund ref of a request: deterministic, so a rerun finds the refund already made. */
export const afterSalesRefundRef = (requestId: string) => `as_${requestId}`;

/**
 * What follows an approved (refund only) or received (return) request, as named steps: the money back
 * through the order's refund path (its refund event asks the payment port, see fulfilment.ts), resellable
 * units back on the shelf, the seller debited, the request marked refunded, and the order `refunded`
 * once everything paid for it came back. Forward-only, like fulfilment: money that left cannot be undone
 * by a compensation, so each step is exactly-once by its own key (`as_<request>`, `return:<request>`,
 * the request's `refunded` ref) and the after-sales deadline job reruns the flow until the request is
 * refunded (`onError: 'resume'`).
 */
export function createAfterSalesRefundFlow(deps: {
  log: Logger;
  orders: Pick<OrderService, 'recordRefund' | 'get' | 'transition'>;
  inventory: Pick<InventoryService, 'adjustStockOnce'>;
  aftersales: () => Pick<AfterSalesService, 'completeRefund'>;
  debitSeller: DebitSeller;
}) {
  const flow = defineFlow<RefundTask>({
    name: 'aftersales.refund',
    log: deps.log,
    onError: 'resume',
    describe: (t) => ({ requestId: t.requestId, orderId: t.orderId }),
    steps: [
      {
        name: 'refundPayment',
        async run(t) {
          await deps.orders.recordRefund(
            t.orderId,
            t.amount,
            system,
            afterSalesRefundRef(t.requestId),
            `After-sales ${t.type === 'return' ? 'return' : 'refund'} ${t.requestId}`,
          );
        },
      },
      {
        name: 'returnStock',
        async run(t) {
          if (t.type !== 'return' || !t.resellable || t.qty <= 0) return;
          await deps.inventory.adjustStockOnce(
            { sku: t.sku, productId: t.productId, sellerId: t.sellerId },
            t.qty,
            `return:${t.requestId}`,
            'return',
          );
        },
      },
      {
        name: 'debitSeller',
        async run(t) {
          await deps.debitSeller({
            requestId: t.requestId,
            orderId: t.orderId,
            sellerId: t.sellerId,
            amount: t.amount,
            refundRef: afterSalesRefundRef(t.requestId),
          });
        },
      },
      {
        name: 'markRefunded',
        async run(t) {
          await deps.aftersales().completeRefund(t.requestId);
        },
      },
      {
        name: 'refundOrderWhenAllRefunded',
        async run(t) {
          const order = await deps.orders.get(t.orderId);
          if (order.refunded >= order.totals.total && !FINAL_STATUSES.has(order.status))
            await deps.orders.transition(
              t.orderId,
              'refunded',
              system,
              'Everything paid was refunded through after-sales',
            );
        },
      },
    ],
  });
  return { refund: (task: RefundTask) => flow.run(task), flow };
}

export type AfterSalesRefundFlow = ReturnType<typeof createAfterSalesRefundFlow>;
