import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { isDuplicateKeyError, NotFoundError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { PaymentProvider, PaymentWebhookEvent } from './port';
import { WebhookRejectedError } from './signing';
import { type Clock, systemClock } from '../clock';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

export interface PaymentDoc {
  _id: string;
  checkoutId: string;
  buyerId: string;
  orderIds: string[];
  amount: number;
  currency: 'CNY';
  provider: string;
  providerRef: string;
  redirectUrl: string;
  status: PaymentStatus;
  method: string | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefundDoc {
  _id: string;
  orderId: string;
  paymentId: string;
  amount: number;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: Date;
  updatedAt: Date;
}

const paymentSchema = new Schema<PaymentDoc>(
  {
    _id: String,
    checkoutId: { type: String, required: true },
    buyerId: { type: String, required: true },
    orderIds: [String],
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    provider: { type: String, required: true },
    providerRef: { type: String, required: true },
    redirectUrl: { type: String, required: true },
    status: { type: String, required: true },
    method: { type: String, default: null },
    failureReason: { type: String, default: null },
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false },
);
const refundSchema = new Schema<RefundDoc>(
  {
    _id: String,
    orderId: { type: String, required: true },
    paymentId: { type: String, required: true },
    amount: { type: Number, required: true },
    reason: { type: String, default: '' },
    status: { type: String, required: true },
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false },
);
const receiptSchema = new Schema<{ _id: string; at: Date }>({ _id: String, at: Date }, { versionKey: false });

export interface PaymentHandlers {
  succeeded(payment: PaymentDoc, event: PaymentWebhookEvent): Promise<void>;
  failed(payment: PaymentDoc, event: PaymentWebhookEvent): Promise<void>;
}

/**
 * Payments and refunds as the marketplace records them, and the webhook intake: a delivery is accepted
 * only with a valid, fresh signature never seen before (replays are refused), and processing an event is
 * idempotent, so a provider redelivering it changes nothing twice.
 */
export function createPaymentService(deps: {
  connection: Connection;
  provider: PaymentProvider;
  bus: EventBus;
  log: Logger;
  clock?: Clock;
}) {
  const Payments = modelOn<PaymentDoc>(deps.connection, 'Payment', paymentSchema, 'payments');
  const Refunds = modelOn<RefundDoc>(deps.connection, 'Refund', refundSchema, 'refunds');
  const Receipts = modelOn(deps.connection, 'WebhookReceipt', receiptSchema, 'webhook_receipts');
  const now = deps.clock ?? systemClock;
  let handlers: PaymentHandlers | null = null;

  async function setStatus(payment: PaymentDoc, set: Partial<PaymentDoc>) {
    await Payments.updateOne({ _id: payment._id }, { $set: { ...set, updatedAt: now() } });
    const status = set.status ?? payment.status;
    await deps.bus.publish('payment.updated', {
      paymentId: payment._id,
      checkoutId: payment.checkoutId,
      buyerId: payment.buyerId,
      status,
      at: now().toISOString(),
    });
  }

  return {
    provider: deps.provider,
    setHandlers(h: PaymentHandlers) {
      handlers = h;
    },

    /** Creates the payment of a checkout and its first hosted session; returns the existing one if any. */
    async open(input: {
      paymentId: string;
      checkoutId: string;
      buyerId: string;
      orderIds: string[];
      amount: number;
      description: string;
      returnUrl: string;
    }): Promise<PaymentDoc> {
      const existing = await Payments.findById(input.paymentId).lean<PaymentDoc>();
      if (existing) return existing;
      const session = await deps.provider.createSession({
        paymentId: input.paymentId,
        amount: input.amount,
        currency: 'CNY',
        description: input.description,
        returnUrl: input.returnUrl,
      });
      const doc: PaymentDoc = {
        _id: input.paymentId,
        checkoutId: input.checkoutId,
        buyerId: input.buyerId,
        orderIds: input.orderIds,
        amount: input.amount,
        currency: 'CNY',
        provider: deps.provider.name,
        providerRef: session.providerRef,
        redirectUrl: session.redirectUrl,
        status: 'pending',
        method: null,
        failureReason: null,
        createdAt: now(),
        updatedAt: now(),
      };
      try {
        await Payments.create(doc);
        return doc;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // A concurrent resume of the same checkout opened it first; ours is never shown, so close it.
        await deps.provider.cancelSession(session.providerRef);
        return (await Payments.findById(input.paymentId).lean<PaymentDoc>())!;
      }
    },

    async get(paymentId: string): Promise<PaymentDoc> {
      const doc = await Payments.findById(paymentId).lean<PaymentDoc>();
      if (!doc) throw new NotFoundError('Payment');
      return doc;
    },

    /** A new hosted session after a failed or abandoned one; the old one is closed first. */
    async reopen(payment: PaymentDoc, returnUrl: string): Promise<PaymentDoc | null> {
      if (!(await deps.provider.cancelSession(payment.providerRef))) return null;
      const session = await deps.provider.createSession({
        paymentId: payment._id,
        amount: payment.amount,
        currency: 'CNY',
        description: `Bazaar checkout ${payment.checkoutId}`,
        returnUrl,
      });
      const set = {
        providerRef: session.providerRef,
        redirectUrl: session.redirectUrl,
        status: 'pending' as const,
        failureReason: null,
      };
      await setStatus(payment, set);
      return { ...payment, ...set };
    },

    setStatus,

    /** Asks the provider to refund; exactly once per refund id. */
    async refund(input: {
      refundId: string;
      orderId: string;
      paymentId: string;
      amount: number;
      reason: string;
    }) {
      const payment = await this.get(input.paymentId);
      await Refunds.updateOne(
        { _id: input.refundId },
        {
          $setOnInsert: {
            orderId: input.orderId,
            paymentId: input.paymentId,
            amount: input.amount,
            reason: input.reason,
            status: 'pending',
            createdAt: now(),
            updatedAt: now(),
          },
        },
        { upsert: true },
      ).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
      await deps.provider.refund({
        refundId: input.refundId,
        providerRef: payment.providerRef,
        amount: input.amount,
        reason: input.reason,
      });
    },

    /** Verifies, de-duplicates and processes one webhook delivery. */
    async receiveWebhook(rawBody: string, headers: Record<string, string | undefined>) {
      const event = deps.provider.parseWebhook(rawBody, headers, now());
      try {
        await Receipts.create({ _id: event.deliveryFingerprint, at: now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new WebhookRejectedError('replayed', 'This delivery has been received before');
      }
      const payment = await Payments.findById(event.paymentId).lean<PaymentDoc>();
      if (!payment) {
        deps.log.warn({ event: event.id, paymentId: event.paymentId }, 'webhook for an unknown payment');
        return { received: true, processed: false };
      }
      if (!handlers) throw new Error('payment handlers are not set');
      switch (event.type) {
        case 'payment.succeeded':
          await handlers.succeeded(payment, event);
          break;
        case 'payment.failed':
          if (event.providerRef === payment.providerRef) await handlers.failed(payment, event);
          break;
        case 'refund.succeeded':
        case 'refund.failed':
          if (event.refundId)
            await Refunds.updateOne(
              { _id: event.refundId },
              {
                $set: {
                  status: event.type === 'refund.succeeded' ? 'succeeded' : 'failed',
                  updatedAt: now(),
                },
              },
            );
          break;
      }
      return { received: true, processed: true };
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
