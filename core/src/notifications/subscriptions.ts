import { AFTERSALES_EVENTS, type AfterSalesEventName, type AfterSalesStatus } from '../aftersales/types';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { OrderService } from '../orders';
import type { ParamsEnricher } from './delivery';
import type { DeliverPayload, NotificationService } from './service';
import type { NotificationType } from './types';

/** After-sales steps the seller is told of (the buyer is told of every other one). */
const AFTERSALES_SELLER_STEPS = new Set<AfterSalesEventName>([
  'opened',
  'pickup_booked',
  'return_shipped',
  'escalated',
  'withdrawn',
]);

const AFTERSALES_STATUS_TEXT: Record<AfterSalesStatus, { en: string; zh: string }> = {
  requested: { en: 'waiting for the seller', zh: '等待卖家处理' },
  awaiting_return: { en: 'send the item back', zh: '请寄回商品' },
  return_shipped: { en: 'return on its way', zh: '退货运输中' },
  refunding: { en: 'refunding', zh: '退款中' },
  refunded: { en: 'refunded', zh: '已退款' },
  rejected: { en: 'rejected', zh: '已拒绝' },
  escalated: { en: 'with support', zh: '客服介入中' },
  closed: { en: 'closed', zh: '已关闭' },
  withdrawn: { en: 'withdrawn', zh: '已撤销' },
};

const ORDER_STATUS_NOTICES: Record<string, NotificationType> = {
  paid: 'order_paid',
  shipped: 'order_shipped',
  delivered: 'order_delivered',
  refunded: 'order_refunded',
};

/**
 * Turns domain events into notifications. Each event is taken by the process that published it
 * (`origin: 'local'`), which queues a job per person; the job's dedupe key and the notification's
 * unique id make repeated or concurrent deliveries of one event one notification.
 */
export function startNotificationSubscriptions(deps: {
  bus: EventBus;
  notifications: NotificationService;
  log: Logger;
}): () => void {
  const local = { origin: 'local' } as const;
  const queue = (input: DeliverPayload) =>
    deps.notifications
      .notify(input)
      .catch((err: unknown) =>
        deps.log.error({ err, type: input.type, sourceId: input.sourceId }, 'could not queue a notification'),
      );

  const offs = [
    deps.bus.subscribe(
      'order.status_changed',
      async (e) => {
        const refund = e.event === 'refund';
        const type = refund ? 'order_refunded' : ORDER_STATUS_NOTICES[e.status];
        if (!type || (e.event !== 'status' && !refund)) return;
        // A partial refund is its own notice; the status change to `refunded` and its refund entry are one.
        const sourceId = refund ? `${e.orderId}@refund${e.version}` : e.orderId;
        if (refund && e.status === 'refunded') return;
        await queue({ userId: e.buyerId, type, sourceId, params: { orderId: e.orderId } });
      },
      local,
    ),
    deps.bus.subscribe(
      'delivery.updated',
      async (e) => {
        // A return pickup on its way to the shop is not the buyer's order coming to them.
        if (e.status !== 'in_transit' || e.kind === 'return') return;
        await queue({
          userId: e.buyerId,
          type: 'order_out_for_delivery',
          sourceId: e.orderId,
          params: { orderId: e.orderId, etaAt: e.etaAt },
        });
      },
      local,
    ),
    // The buyer hears of the seller's and support's moves, the seller of the buyer's; each step of a
    // request is one notification (its version names it).
    ...AFTERSALES_EVENTS.map((step) =>
      deps.bus.subscribe(
        `aftersales.${step}`,
        async (e) => {
          const userId = AFTERSALES_SELLER_STEPS.has(step) ? e.sellerId : e.buyerId;
          await queue({
            userId,
            type: 'aftersales_updated',
            sourceId: `${e.requestId}@${e.version}`,
            params: {
              orderId: e.orderId,
              requestId: e.requestId,
              status: e.status,
              statusText: AFTERSALES_STATUS_TEXT[e.status].en,
              statusTextZh: AFTERSALES_STATUS_TEXT[e.status].zh,
              note: null,
            },
          });
        },
        local,
      ),
    ),
    deps.bus.subscribe(
      'payout.sent',
      async (e) => {
        // A seller's id is their user id.
        await queue({
          userId: e.sellerId,
          type: 'payout_sent',
          sourceId: e.payoutId,
          params: { payoutId: e.payoutId, amount: e.amount, orderCount: null },
        });
      },
      local,
    ),
    deps.bus.subscribe(
      'seller_application.decided',
      async (e) => {
        await queue({
          userId: e.userId,
          type: 'seller_application_decided',
          sourceId: e.applicationId,
          params: { shopName: e.shopName, decision: e.decision, reason: e.note },
        });
      },
      local,
    ),
    // One event per favouriter and change (`id` names it), so the id is the notification's source.
    deps.bus.subscribe(
      'favourite.price_dropped',
      async (e) => {
        await queue({
          userId: e.userId,
          type: 'price_dropped',
          sourceId: e.id,
          params: { productId: e.productId, sku: e.sku, oldPrice: e.oldPrice, newPrice: e.newPrice },
        });
      },
      local,
    ),
    deps.bus.subscribe(
      'favourite.back_in_stock',
      async (e) => {
        await queue({
          userId: e.userId,
          type: 'back_in_stock',
          sourceId: e.id,
          params: { productId: e.productId, sku: e.sku },
        });
      },
      local,
    ),
  ];
  return () => offs.forEach((off) => off());
}

/** Order notices name the order; their number, shop, first item and amounts are read when delivered. */
export function orderParamsEnricher(
  orders: Pick<OrderService, 'get'>,
  catalog?: { getProduct(id: string): Promise<{ name: string; nameZh?: string | null } | null> },
): ParamsEnricher {
  return async (type, params) => {
    if (catalog && typeof params.productId === 'string' && !params.productName) {
      const product = await catalog.getProduct(params.productId);
      return { ...params, productName: product?.name ?? '', productNameZh: product?.nameZh ?? null };
    }
    if (!/^(order|aftersales)_/.test(type) || typeof params.orderId !== 'string' || params.orderNumber)
      return params;
    const order = await orders.get(params.orderId);
    return {
      ...params,
      orderNumber: order.number,
      shopName: order.shopName,
      firstItem: order.lines[0]?.name ?? '',
      total: order.totals.total,
      refunded: order.refunded,
    };
  };
}
