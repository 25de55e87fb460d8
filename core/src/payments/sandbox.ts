import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { ConflictError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import type { JobHandler, JobQueue } from '../jobs';
import type { Logger } from '../logger';
import {
  PAYMENT_WEBHOOK_TYPES,
  type PaymentProvider,
  type PaymentWebhookEvent,
  type PaymentWebhookType,
} from './port';
import { signWebhook, SIGNATURE_HEADER, verifyWebhook, WebhookRejectedError } from './signing';
import { type Clock, systemClock } from '../clock';

export const SANDBOX_WEBHOOK_JOB = 'sandbox.webhook';
export const SANDBOX_METHODS = ['alipay', 'wechat', 'card'] as const;
export type SandboxMethod = (typeof SANDBOX_METHODS)[number];
/** The test card that is always declined (as at real acquirers). */
export const DECLINED_CARD = '4000000000000002';
/**
 * How long a shopper who was already on the page when the shop gave up on the session may still pay
 * (the page of a real PSP times out too); the shop refunds such a payment at once.
 */
export const SANDBOX_LAPSE_GRACE_MS = 30 * 60_000;

export interface SandboxSession {
  id: string;
  paymentId: string;
  amount: number;
  currency: 'CNY';
  description: string;
  returnUrl: string;
  /** `expired`: the shop closed it before the shopper came to the page. */
  status: 'open' | 'succeeded' | 'failed' | 'abandoned' | 'expired';
  method: SandboxMethod | null;
  failureReason: string | null;
  createdAt: Date;
}

interface SessionDoc extends Omit<SandboxSession, 'id'> {
  _id: string;
  /** When the shopper first opened the hosted page. */
  openedAt: Date | null;
  /** When the shop gave up on the session while the shopper was on the page (they may still pay). */
  lapsedAt: Date | null;
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
    openedAt: { type: Date, default: null },
    lapsedAt: { type: Date, default: null },
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
 * the merchant's endpoint by a durable job, retried with backoff until acknowledged with a 2xx. Every
 * event states the session's amount, currency and reference, as a real PSP's does.
 */
export function createSandboxProvider(deps: {
  connection: Connection;
  queue: JobQueue;
  /** The HMAC key shared with the webhook endpoint (configured, or the one kept in the database). */
  secret: () => Promise<string>;
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
    return {
      id: doc._id,
      paymentId: doc.paymentId,
      amount: doc.amount,
      currency: doc.currency,
      description: doc.description,
      returnUrl: doc.returnUrl,
      status: doc.status,
      method: doc.method,
      failureReason: doc.failureReason,
      createdAt: doc.createdAt,
    };
  }

  async function findSession(id: string): Promise<SessionDoc> {
    const doc = await Sessions.findById(id).lean<SessionDoc>();
    if (!doc) throw new NotFoundError('Payment session');
    return doc;
  }

  /** Claims the session's one outcome; false when it already has one. */
  async function settle(id: string, status: SandboxSession['status']): Promise<boolean> {
    try {
      await Outcomes.create({ _id: id, status });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async function emit(
    type: PaymentWebhookType,
    data: {
      paymentId: string;
      providerRef: string;
      refundId?: string;
      amount: number;
      currency: string;
      method?: string | null;
      failureReason?: string | null;
    },
    opts: { delayMs?: number; dedupeKey?: string } = {},
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
      { maxAttempts: 15, delayMs: opts.delayMs ?? 0, dedupeKey: opts.dedupeKey },
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
        openedAt: null,
        lapsedAt: null,
      });
      return { providerRef: id, redirectUrl: `/pay/sandbox/${id}` };
    },
    async cancelSession(providerRef) {
      if (!(await settle(providerRef, 'abandoned'))) {
        const outcome = await Outcomes.findById(providerRef).lean();
        return outcome?.status !== 'succeeded';
      }
      await Sessions.updateOne({ _id: providerRef }, { $set: { status: 'abandoned' } });
      return true;
    },
    async expireSession(providerRef) {
      const session = await Sessions.findById(providerRef).lean<SessionDoc>();
      if (!session || session.status !== 'open') return;
      if (session.openedAt) {
        // The shopper is on the page and may be paying right now: like a real PSP, let them finish.
        await Sessions.updateOne({ _id: providerRef }, { $set: { lapsedAt: now() } });
        return;
      }
      if (await settle(providerRef, 'expired'))
        await Sessions.updateOne({ _id: providerRef }, { $set: { status: 'expired' } });
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
        // Already accepted. Its webhook is queued again below (one job per refund): a caller killed
        // between the insert and the queue would otherwise leave a refund that is never confirmed.
        if (!isDuplicateKeyError(err)) throw err;
      }
      const session = await Sessions.findById(input.providerRef).lean<SessionDoc>();
      if (!session) throw new NotFoundError('Sandbox payment');
      await emit(
        'refund.succeeded',
        {
          paymentId: session.paymentId,
          providerRef: input.providerRef,
          refundId: input.refundId,
          amount: input.amount,
          currency: session.currency,
        },
        { dedupeKey: `refund:${input.refundId}` },
      );
    },
    async parseWebhook(rawBody, headers, at): Promise<PaymentWebhookEvent> {
      const fingerprint = verifyWebhook(await deps.secret(), rawBody, headers[SIGNATURE_HEADER], at);
      return { ...parseEvent(rawBody), deliveryFingerprint: fingerprint };
    },
  };

  /** Delivers one webhook; any non-2xx answer or network error throws, so the queue retries with backoff. */
  const deliver: JobHandler<WebhookJob> = async ({ body }, ctx) => {
    const res = await fetch(deps.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(await deps.secret(), body, now()),
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
      return toSession(await findSession(id));
    },
    /** The shopper opens the hosted page: the session, with their first arrival noted (as a PSP knows). */
    async openPage(id: string): Promise<SandboxSession> {
      const doc = await findSession(id);
      if (!doc.openedAt && doc.status === 'open')
        await Sessions.updateOne({ _id: id, openedAt: null }, { $set: { openedAt: now() } });
      return toSession(doc);
    },
    /** The shopper's choice on the hosted page. Exactly one outcome per session. */
    async complete(
      id: string,
      input: { method: SandboxMethod; outcome: 'succeed' | 'fail'; cardNumber?: string },
    ) {
      const doc = await findSession(id);
      const session = toSession(doc);
      if (input.method === 'card' && !/^\d{12,19}$/.test((input.cardNumber ?? '').replace(/\s/g, '')))
        throw new ValidationError([
          { field: 'body.cardNumber', message: 'a card number of 12 to 19 digits' },
        ]);
      if (doc.lapsedAt && now().getTime() - doc.lapsedAt.getTime() > SANDBOX_LAPSE_GRACE_MS) {
        if (await settle(id, 'expired')) {
          await Sessions.updateOne({ _id: id }, { $set: { status: 'expired' } });
          throw new ConflictError('This payment page has expired', { status: 'expired' });
        }
      }
      const declined = input.method === 'card' && input.cardNumber?.replace(/\s/g, '') === DECLINED_CARD;
      const status = input.outcome === 'succeed' && !declined ? 'succeeded' : 'failed';
      if (!(await settle(id, status))) {
        const outcome = await Outcomes.findById(id).lean();
        if (outcome?.status === 'expired')
          throw new ConflictError('This payment page has expired', { status: 'expired' });
        throw new ConflictError('This payment page has already been used', { status: outcome?.status });
      }
      const failureReason =
        status === 'failed' ? (declined ? 'Card declined by the issuer' : 'Payment failed') : null;
      await Sessions.updateOne({ _id: id }, { $set: { status, method: input.method, failureReason } });
      await emit(status === 'succeeded' ? 'payment.succeeded' : 'payment.failed', {
        paymentId: session.paymentId,
        providerRef: id,
        amount: session.amount,
        currency: session.currency,
        method: input.method,
        failureReason,
      });
      return { ...session, status, method: input.method, failureReason } satisfies SandboxSession;
    },
    /** The shopper walked away: nothing is charged and no webhook is sent. */
    async abandon(id: string) {
      const session = await this.getSession(id);
      if (!(await settle(id, 'abandoned'))) return session;
      await Sessions.updateOne({ _id: id }, { $set: { status: 'abandoned' } });
      return { ...session, status: 'abandoned' as const };
    },
  };
}

export type SandboxPsp = ReturnType<typeof createSandboxProvider>;

/** The event in a webhook body; anything that is not a well-formed sandbox event is refused. */
function parseEvent(rawBody: string): Omit<PaymentWebhookEvent, 'deliveryFingerprint'> {
  let event: { id?: unknown; type?: unknown; data?: Record<string, unknown> };
  try {
    event = JSON.parse(rawBody) as typeof event;
  } catch {
    throw new WebhookRejectedError('malformed', 'The body is not JSON');
  }
  const data = event.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  if (typeof event.id !== 'string' || typeof data.paymentId !== 'string')
    throw new WebhookRejectedError('malformed', 'The event lacks id or paymentId');
  if (!PAYMENT_WEBHOOK_TYPES.includes(event.type as PaymentWebhookType))
    throw new WebhookRejectedError('malformed', `Unknown event type ${JSON.stringify(event.type)}`);
  if (typeof data.providerRef !== 'string' || !data.providerRef)
    throw new WebhookRejectedError('malformed', 'The event lacks providerRef');
  if (!Number.isSafeInteger(data.amount) || (data.amount as number) < 0)
    throw new WebhookRejectedError('malformed', 'The amount is not a whole number of fen');
  if (typeof data.currency !== 'string' || !/^[A-Z]{3}$/.test(data.currency))
    throw new WebhookRejectedError('malformed', 'The currency is not an ISO 4217 code');
  return {
    id: event.id,
    type: event.type as PaymentWebhookType,
    paymentId: data.paymentId,
    providerRef: data.providerRef,
    refundId: text(data.refundId),
    amount: data.amount as number,
    currency: data.currency,
    method: text(data.method),
    failureReason: text(data.failureReason)?.slice(0, 200) ?? null,
  };
}
