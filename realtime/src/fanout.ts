import {
  AFTERSALES_EVENTS,
  PLATFORM,
  type AfterSalesChangedEvent,
  type DomainEvents,
  type EventBus,
} from '@market/core';
import { LOW_STOCK_THRESHOLD } from './contract';
import {
  courierRoom,
  deliveryRoom,
  groupRoom,
  orderRoom,
  productRoom,
  sellerRoom,
  SUPPORT_ROOM,
  userRoom,
} from './rooms';
import type { RealtimeNamespaces } from './types';

/**
 * Turns domain events into socket messages. It listens to events published by this process only: the
 * Socket.IO adapter carries every emit to every node, so each event is emitted once in the cluster and
 * each socket receives it once. One emit goes to the union of a message's rooms, so a socket in several
 * of them (a seller buying from their own shop) still gets one copy.
 */
export function startFanout(ns: RealtimeNamespaces, bus: EventBus): () => void {
  const local = { origin: 'local' } as const;

  const delivery = (e: DomainEvents['delivery.updated']) => {
    const message = {
      deliveryId: e.deliveryId,
      orderId: e.orderId,
      status: e.status,
      courierId: e.courierId,
      etaAt: e.etaAt,
      late: e.late,
      version: e.version,
      at: e.at,
    };
    ns.shop.to([userRoom(e.buyerId), orderRoom(e.orderId)]).emit('delivery.updated', message);
    ns.seller.to(sellerRoom(e.sellerId)).emit('delivery.updated', message);
    if (e.courierId) ns.courier.to(courierRoom(e.courierId)).emit('delivery.updated', message);
    ns.support.to(SUPPORT_ROOM).emit('delivery.updated', message);
  };

  const afterSales = (e: AfterSalesChangedEvent) => {
    const { buyerId, sellerId, ...message } = e;
    ns.shop.to([userRoom(buyerId), orderRoom(e.orderId)]).emit('aftersales.updated', message);
    ns.seller.to(sellerRoom(sellerId)).emit('aftersales.updated', message);
    ns.support.to(SUPPORT_ROOM).emit('aftersales.updated', message);
  };

  const offs = [
    ...AFTERSALES_EVENTS.map((name) => bus.subscribe(`aftersales.${name}`, afterSales, local)),
    bus.subscribe(
      'stock.changed',
      (e) => {
        const { sellerId, ...message } = e;
        ns.shop.to(productRoom(e.productId)).emit('stock.changed', message);
        if (e.available <= LOW_STOCK_THRESHOLD)
          ns.seller
            .to(sellerRoom(sellerId))
            .emit('stock.alert', { ...message, threshold: LOW_STOCK_THRESHOLD });
      },
      local,
    ),
    bus.subscribe(
      'flash.remaining',
      (e) => {
        ns.shop.to(productRoom(e.productId)).emit('flash.remaining', e);
      },
      local,
    ),
    bus.subscribe(
      'group.progress',
      (e) => {
        ns.shop.to(groupRoom(e.groupId)).emit('group.progress', e);
      },
      local,
    ),
    bus.subscribe(
      'products.sale_changed',
      (e) => {
        // One emit per product room: a page hears about the products it shows, nothing else.
        for (const productId of e.productIds)
          ns.shop.to(productRoom(productId)).emit('products.sale_changed', { ...e, productIds: [productId] });
      },
      local,
    ),
    bus.subscribe(
      'import.progress',
      (e) => {
        const { sellerId, ...message } = e;
        ns.seller.to(sellerRoom(sellerId)).emit('import.progress', message);
      },
      local,
    ),
    bus.subscribe(
      'order.status_changed',
      (e) => {
        const { buyerId, sellerId, ...message } = e;
        ns.shop.to([userRoom(buyerId), orderRoom(e.orderId)]).emit('order.status_changed', message);
        ns.seller.to(sellerRoom(sellerId)).emit('order.status_changed', message);
        ns.support.to(SUPPORT_ROOM).emit('order.status_changed', message);
      },
      local,
    ),
    bus.subscribe(
      'payment.updated',
      (e) => {
        const { buyerId, ...message } = e;
        ns.shop.to(userRoom(buyerId)).emit('payment.updated', message);
      },
      local,
    ),
    bus.subscribe('delivery.updated', delivery, local),
    bus.subscribe(
      'courier.location',
      (e) => {
        const { buyerId: _buyer, ...message } = e;
        // A newer fix supersedes an older one: volatile, so a congested client skips rather than queues.
        ns.shop.volatile.to(orderRoom(e.orderId)).emit('courier.location', message);
        ns.support.volatile.to(deliveryRoom(e.deliveryId)).emit('courier.location', message);
      },
      local,
    ),
    bus.subscribe(
      'payout.updated',
      (e) => {
        const { sellerId, ...message } = e;
        ns.seller.to(sellerRoom(sellerId)).emit('payout.updated', message);
      },
      local,
    ),
    bus.subscribe(
      'ops.alert',
      (e) => {
        ns.support.to(SUPPORT_ROOM).emit('ops.alert', e);
      },
      local,
    ),
    bus.subscribe(
      'photo.checked',
      (e) => {
        const { sellerId, ...message } = e;
        ns.seller.to(sellerRoom(sellerId)).emit('photo.checked', message);
        if (e.review)
          ns.support.to(SUPPORT_ROOM).emit('photo.review', {
            photoId: e.photoId,
            productId: e.productId,
            sellerId,
            state: 'decided',
            at: e.at,
          });
      },
      local,
    ),
    // The bell: a new notification, or reads from another tab. Only the person's own room.
    bus.subscribe(
      'notification.created',
      (e) => {
        const { userId, ...message } = e;
        ns.shop.to(userRoom(userId)).emit('notification.new', message);
      },
      local,
    ),
    bus.subscribe(
      'notification.read',
      (e) => {
        const { userId, ...message } = e;
        ns.shop.to(userRoom(userId)).emit('notification.read', message);
      },
      local,
    ),
    bus.subscribe(
      'analytics.updated',
      (e) => {
        const message = { day: e.day, at: e.at };
        if (e.scope === PLATFORM) ns.support.to(SUPPORT_ROOM).emit('analytics.updated', message);
        else ns.seller.to(sellerRoom(e.scope)).emit('analytics.updated', message);
      },
      local,
    ),
    bus.subscribe(
      'photo.review_queued',
      (e) => {
        ns.support.to(SUPPORT_ROOM).emit('photo.review', { ...e, state: 'queued' });
      },
      local,
    ),
  ];
  return () => offs.forEach((off) => off());
}
