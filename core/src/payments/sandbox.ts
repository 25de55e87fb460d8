import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { ConflictError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import type { JobHandler, JobQueue } from '../jobs';
import type { Logger } from '../logger';
import type { PaymentProvider, PaymentWebhookEvent, PaymentWebhookType } from './port';
import { signWebhook, SIGNATURE_HEADER, verifyWebhook, WebhookRejectedError } from './signing';
import { type Clock, systemClock } from '../clock';

export const SANDBOX_WEBHOOK_JOB = 'sandbox.webhook';
export const SANDBOX_METHODS = ['alipay', 'wechat', 'card'] as const;
export type SandboxMethod = (typeof SANDBOX_METHODS)[number];
/** The test card that is always declined (as at real acquirers). */
export const DECLINED_CARD = '4000000000000002';

export interface SandboxSession {
  id: string;
  paymentId: string;
  amount: number;
  currency: 'CNY';
  description: string;
  returnUrl: string;
  status: 'open' | 'succeeded' | 'failed' | 'abandoned';
  method: SandboxMethod | null;
  failureReason: string | null;
  createdAt: Date;
}

interface SessionDoc extends Omit<SandboxSession, 'id'> {
  _id: string;
}

interface SandboxRefundDoc {
  _id: string;
  providerRef: string;
  amount: number;
  reason: string;
  createdAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: String,
    paymentId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    description: { type: String, default: '' },
    returnUrl: { type: String, required: true },
    status: { type: String, required: true },
    method: { type: String, default: null },
    failureReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
const refundSchema = new Schema<SandboxRefundDoc>(
  { _id: String, providerRef: String, amount: Number, reason: String, createdAt: Date },
  { versionKey: false },
);
const outcomeSchema = new Schema<{ _id: string; status: string }>(
  { _id: String, status: String },
  { versionKey: false },
);

interface WebhookJob {
  body: string;
}

/**
 * A payment service provider that runs inside the app, for development, demos and tests. It behaves like
 * a real PSP: a hosted page (`/pay/sandbox/<session>` in the storefront) where the shopper picks Alipay,
 * WeChat Pay or a card and succeeds, fails or walks away; and asynchronous, HMAC-signed webhooks sent to
 * the merchant's endpoint by a durable job, retried with backoff until acknowledged with a 2xx.
 */
export function createSandboxProvider(deps: {
  connection: Connection;
  queue: JobQueue;
  secret: string;
  /** The merchant's webhook endpoint (absolute URL), resolved when a webhook is sent. */
  webhookUrl: () => string;
  log: Logger;
  clock?: Clock;
}) {
  const Sessions = modelOn<SessionDoc>(
    deps.connection,
    'SandboxSession',
    sessionSchema,
    'sandbox_psp_sessions',
  );
  const Refunds = modelOn<SandboxRefundDoc>(
    deps.connection,
    'SandboxRefund',
    refundSchema,
    'sandbox_psp_refunds',
  );
  const Outcomes = modelOn(deps.connection, 'SandboxOutcome', outcomeSchema, 'sandbox_psp_outcomes');
  const now = deps.clock ?? systemClock;

  function toSession(doc: SessionDoc): SandboxSession {
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  async function emit(
    type: PaymentWebhookType,
    data: {
      paymentId: string;
      providerRef: string;
      refundId?: string;
      amount: number;
      method?: string | null;
      failureReason?: string | null;
    },
    delayMs = 0,
  ) {
    const event = {
      id: `evt_${randomBytes(12).toString('base64url')}`,
      type,
      created: Math.floor(now().getTime() / 1000),
      data: { refundId: null, method: null, failureReason: null, ...data },
    };
    await deps.queue.enqueue<WebhookJob>(
      SANDBOX_WEBHOOK_JOB,
      { body: JSON.stringify(event) },
      { maxAttempts: 15, delayMs },
    );
  }

  const provider: PaymentProvider = {
    name: 'sandbox',
    async createSession(input) {
      const id = `sbx_${randomBytes(12).toString('base64url')}`;
      await Sessions.create({
        _id: id,
        paymentId: input.paymentId,
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        returnUrl: input.returnUrl,
        status: 'open',
        method: null,
        failureReason: null,
        createdAt: now(),
      });
      return { providerRef: id, redirectUrl: `/pay/sandbox/${id}` };
    },
    async cancelSession(providerRef) {
      try {
        await Outcomes.create({ _id: providerRef, status: 'abandoned' });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const outcome = await Outcomes.findById(providerRef).lean();
        return outcome?.status !== 'succeeded';
      }
      await Sessions.updateOne({ _id: providerRef }, { $set: { status: 'abandoned' } });
      return true;
    },
    async refund(input) {
      try {
        await Refunds.create({
          _id: input.refundId,
          providerRef: input.providerRef,
          amount: input.amount,
          reason: input.reason,
          createdAt: now(),
        });
      } catch (err) {
        if (isDuplicateKeyError(err)) return; // already accepted: the webhook is on its way
        throw err;
      }
      const session = await Sessions.findById(input.providerRef).lean<SessionDoc>();
      if (!session) throw new NotFoundError('Sandbox payment');
      await emit('refund.succeeded', {
        paymentId: session.paymentId,
        providerRef: input.providerRef,
        refundId: input.refundId,
        amount: input.amount,
      });
    },
    parseWebhook(rawBody, headers, at): PaymentWebhookEvent {
      const fingerprint = verifyWebhook(deps.secret, rawBody, headers[SIGNATURE_HEADER], at);
      let event: { id?: unknown; type?: unknown; data?: Record<string, unknown> };
      try {
        event = JSON.parse(rawBody) as typeof event;
      } catch {
        throw new WebhookRejectedError('malformed', 'The body is not JSON');
      }
      const data = event.data ?? {};
      if (
        typeof event.id !== 'string' ||
        typeof event.type !== 'string' ||
        typeof data.paymentId !== 'string'
      )
        throw new WebhookRejectedError('malformed', 'The event lacks id, type or paymentId');
      return {
        id: event.id,
        type: event.type as PaymentWebhookType,
        paymentId: data.paymentId,
        providerRef: String(data.providerRef ?? ''),
        refundId: typeof data.refundId === 'string' ? data.refundId : null,
        amount: Number(data.amount) || 0,
        method: typeof data.method === 'string' ? data.method : null,
        failureReason: typeof data.failureReason === 'string' ? data.failureReason.slice(0, 200) : null,
        deliveryFingerprint: fingerprint,
      };
    },
  };

  /** Delivers one webhook; any non-2xx answer or network error throws, so the queue retries with backoff. */
  const deliver: JobHandler<WebhookJob> = async ({ body }, ctx) => {
    const res = await fetch(deps.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(deps.secret, body, now()),
      },
      body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return { status: res.status };
  };

  return {
    provider,
    deliver,
    async getSession(id: string): Promise<SandboxSession> {
      const doc = await Sessions.findById(id).lean<SessionDoc>();
      if (!doc) throw new NotFoundError('Payment session');
      return toSession(doc);
    },
    /** The shopper's choice on the hosted page. Exactly one outcome per session. */
    async complete(
      id: string,
      input: { method: SandboxMethod; outcome: 'succeed' | 'fail'; cardNumber?: string },
    ) {
      const session = await this.getSession(id);
      if (input.method === 'card' && !/^\d{12,19}$/.test((input.cardNumber ?? '').replace(/\s/g, '')))
        throw new ValidationError([
          { field: 'body.cardNumber', message: 'a card number of 12 to 19 digits' },
        ]);
      const declined = input.method === 'card' && input.cardNumber?.replace(/\s/g, '') === DECLINED_CARD;
      const status = input.outcome === 'succeed' && !declined ? 'succeeded' : 'failed';
      try {
        await Outcomes.create({ _id: id, status });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError('This payment page has already been used', { status: session.status });
      }
      const failureReason =
        status === 'failed' ? (declined ? 'Card declined by the issuer' : 'Payment failed') : null;
      await Sessions.updateOne({ _id: id }, { $set: { status, method: input.method, failureReason } });
      await emit(status === 'succeeded' ? 'payment.succeeded' : 'payment.failed', {
        paymentId: session.paymentId,
        providerRef: id,
        amount: session.amount,
        method: input.method,
        failureReason,
      });
      return { ...session, status, method: input.method, failureReason } satisfies SandboxSession;
    },
    /** The shopper walked away: nothing is charged and no webhook is sent. */
    async abandon(id: string) {
      const session = await this.getSession(id);
      try {
        await Outcomes.create({ _id: id, status: 'abandoned' });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        return session;
      }
      await Sessions.updateOne({ _id: id }, { $set: { status: 'abandoned' } });
      return { ...session, status: 'abandoned' as const };
    },
  };
}

export type SandboxPsp = ReturnType<typeof createSandboxProvider>;
