import { Schema, type Connection } from 'mongoose';
import type { OpsAlerts } from '../alerts';
import { modelOn } from '../db/model';
import { isDuplicateKeyError, NotFoundError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import { PaymentMismatchError } from './errors';
import { mismatchesOf } from './matching';
import type { PaymentProvider, PaymentWebhookEvent, PaymentWebhookType } from './port';
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

/**
 * One provider event as the shop received it; `_id` is `<provider>:<event id>`, inserted before the
 * event is processed, so each event is claimed once however often and however signed it arrives.
 * `received` until processing finished: a redelivery of an event still `received` (the process died, or
 * a concurrent delivery is at it) runs the idempotent processing again; `refused` when it did not match
 * the payment; `processed` once done, after which a redelivery is a duplicate that changes nothing.
 */
interface PaymentEventDoc {
  _id: string;
  type: PaymentWebhookType;
  paymentId: string;
  state: 'received' | 'processed' | 'refused';
  /** Why it was refused (the mismatches), for whoever looks into the alert. */
  refusal: string | null;
  receivedAt: Date;
  updatedAt: Date;
}
const paymentEventSchema = new Schema<PaymentEventDoc>(
  {
    _id: String,
    type: { type: String, required: true },
    paymentId: { type: String, required: true },
    state: { type: String, required: true },
    refusal: { type: String, default: null },
    receivedAt: Date,
    updatedAt: Date,
  },
  { versionKey: false },
);

/** The webhook endpoint's answer: any 2xx tells the provider to stop redelivering. */
export interface WebhookReceipt {
  received: true;
  /** This delivery ran the event's processing (false for a duplicate, or a payment the shop does not know). */
  processed: boolean;
  /** The event had been received before (a redelivery, however signed). */
  duplicate: boolean;
}

/**
 * What a provider's verdict on a payment sets off in other domains (the orders it pays move on:
 * `core/src/flows/fulfilment.ts`), passed in when the services are built. Must be idempotent: a
 * redelivered event whose processing a crash cut short runs it again.
 */
export interface PaymentOutcomes {
  succeeded(payment: PaymentDoc, event: PaymentWebhookEvent): Promise<void>;
  failed(payment: PaymentDoc, event: PaymentWebhookEvent): Promise<void>;
}

/**
 * Payments and refunds as the marketplace records them, and the webhook intake: a delivery is accepted
 * only with a valid, fresh signature; an identical delivery seen before is a replay and refused; each
 * provider event is processed once (claimed by a unique insert), so the same event re-signed is a
 * duplicate; and an event must match the payment it names (amount, currency, session, refund) or it is
 * refused, changes nothing and alerts support.
 */
export function createPaymentService(deps: {
  connection: Connection;
  provider: PaymentProvider;
  bus: EventBus;
  alerts: OpsAlerts;
  log: Logger;
  outcomes: PaymentOutcomes;
  clock?: Clock;
}) {
  const Payments = modelOn<PaymentDoc>(deps.connection, 'Payment', paymentSchema, 'payments');
  const Refunds = modelOn<RefundDoc>(deps.connection, 'Refund', refundSchema, 'refunds');
  const Receipts = modelOn(deps.connection, 'WebhookReceipt', receiptSchema, 'webhook_receipts');
  const Events = modelOn<PaymentEventDoc>(
    deps.connection,
    'PaymentEvent',
    paymentEventSchema,
    'payment_events',
  );
  const now = deps.clock ?? systemClock;

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

  /** Inserts the event's claim; returns null when this delivery made it, else the claim found. */
  async function claimEvent(key: string, event: PaymentWebhookEvent): Promise<PaymentEventDoc | null> {
    try {
      await Events.create({
        _id: key,
        type: event.type,
        paymentId: event.paymentId,
        state: 'received',
        refusal: null,
        receivedAt: now(),
        updatedAt: now(),
      });
      return null;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const seen = await Events.findById(key).lean<PaymentEventDoc>();
      if (!seen) throw new Error(`payment event ${key} was claimed and is gone`, { cause: err });
      return seen;
    }
  }

  /** Applies one event after checking it against the payment; false when the payment is unknown. */
  async function processEvent(key: string, event: PaymentWebhookEvent): Promise<boolean> {
    const payment = await Payments.findById(event.paymentId).lean<PaymentDoc>();
    if (!payment) {
      deps.log.warn({ event: event.id, paymentId: event.paymentId }, 'webhook for an unknown payment');
      return false;
    }
    const refund = event.refundId ? await Refunds.findById(event.refundId).lean<RefundDoc>() : null;
    const mismatches = mismatchesOf(event, payment, refund);
    if (mismatches.length) await refuse(key, event, payment, mismatches);
    switch (event.type) {
      case 'payment.succeeded':
        await deps.outcomes.succeeded(payment, event);
        break;
      case 'payment.failed':
        if (event.providerRef === payment.providerRef) await deps.outcomes.failed(payment, event);
        break;
      case 'refund.succeeded':
      case 'refund.failed':
        await Refunds.updateOne(
          { _id: event.refundId },
          { $set: { status: event.type === 'refund.succeeded' ? 'succeeded' : 'failed', updatedAt: now() } },
        );
        break;
    }
    return true;
  }

  /** Records, logs and reports an event that does not match its payment, then refuses it. */
  async function refuse(
    key: string,
    event: PaymentWebhookEvent,
    payment: PaymentDoc,
    mismatches: { field: string; message: string }[],
  ): Promise<never> {
    const differences = mismatches.map((m) => `${m.field.replace('body.data.', '')} ${m.message}`).join('; ');
    const message = `Refused ${event.type} ${event.id} for payment ${payment._id}: ${differences}`;
    deps.log.error(
      { event: event.id, type: event.type, paymentId: payment._id, orderIds: payment.orderIds, mismatches },
      'payment webhook refused: it does not match the payment',
    );
    await Events.updateOne({ _id: key }, { $set: { state: 'refused', refusal: message, updatedAt: now() } });
    await deps.alerts.raise(`payment_mismatch:${key}`, {
      kind: 'payment_mismatch',
      paymentId: payment._id,
      orderId: payment.orderIds[0] ?? null,
      message,
    });
    throw new PaymentMismatchError(
      `This ${event.type} event does not match payment ${payment._id}; nothing was changed`,
      mismatches,
      { paymentId: payment._id, eventId: event.id },
    );
  }

  return {
    provider: deps.provider,

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

    /** Verifies, de-duplicates, checks and processes one webhook delivery. */
    async receiveWebhook(
      rawBody: string,
      headers: Record<string, string | undefined>,
    ): Promise<WebhookReceipt> {
      const event = await deps.provider.parseWebhook(rawBody, headers, now());
      // Redundant for correctness (the event claim below makes any redelivery change nothing) but kept:
      // a provider signs every delivery afresh, so a byte-identical one is someone replaying a capture.
      try {
        await Receipts.create({ _id: event.deliveryFingerprint, at: now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new WebhookRejectedError('replayed', 'This delivery has been received before');
      }
      const key = `${deps.provider.name}:${event.id}`;
      const seen = await claimEvent(key, event);
      if (seen?.state === 'processed') {
        deps.log.info({ event: event.id, paymentId: event.paymentId }, 'duplicate payment webhook ignored');
        return { received: true, processed: false, duplicate: true };
      }
      // New, or claimed before and not finished (a crash, a refusal, a concurrent delivery): processing
      // is idempotent, so running it again completes what was cut short and repeats nothing.
      const processed = await processEvent(key, event);
      await Events.updateOne({ _id: key }, { $set: { state: 'processed', updatedAt: now() } });
      return { received: true, processed, duplicate: seen !== null };
    },

    /** The refunds asked for on an order, oldest first. */
    async refundsOf(orderId: string): Promise<RefundDoc[]> {
      return Refunds.find({ orderId }).sort({ createdAt: 1 }).lean<RefundDoc[]>();
    },

    /** Payments by id (the reconciliation's record of what was captured). */
    async getMany(paymentIds: string[]): Promise<PaymentDoc[]> {
      if (!paymentIds.length) return [];
      return Payments.find({ _id: { $in: paymentIds } }).lean<PaymentDoc[]>();
    },

    /** Refunds by refund id (the reconciliation's record of what was refunded). */
    async refundsByIds(refundIds: string[]): Promise<RefundDoc[]> {
      if (!refundIds.length) return [];
      return Refunds.find({ _id: { $in: refundIds } }).lean<RefundDoc[]>();
    },

    /** Delivery fingerprints older than `before` (past the signature tolerance, they cannot replay). */
    async pruneReceipts(before: Date): Promise<number> {
      return (await Receipts.deleteMany({ at: { $lt: before } })).deletedCount;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
