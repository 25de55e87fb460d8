import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { modelOn } from '../db/model';
import { isDuplicateKeyError } from '../errors';
import type { JobHandler, JobQueue } from '../jobs';
import { signWebhook, SIGNATURE_HEADER, verifyWebhook, WebhookRejectedError } from '../payments/signing';
import { PAYOUT_WEBHOOK_TYPES, type PayoutProvider, type PayoutWebhookType } from './port';

export const SANDBOX_BANK_JOB = 'payouts.sandbox_bank';
export const SANDBOX_PAYOUT_WEBHOOK_JOB = 'payouts.sandbox_webhook';
/** The sandbox bank card whose transfers always fail (as test accounts at real banks do). */
export const FAILING_PAYOUT_CARD = '6200000000000005';
const FAILING_TOKEN_PREFIX = 'sbxacct_fail_';

interface TransferDoc {
  _id: string;
  providerRef: string;
  amount: number;
  accountToken: string;
  createdAt: Date;
}

const transferSchema = new Schema<TransferDoc>(
  { _id: String, providerRef: String, amount: Number, accountToken: String, createdAt: Date },
  { versionKey: false },
);
const outcomeSchema = new Schema<{ _id: string; status: string; at: Date }>(
  { _id: String, status: String, at: Date },
  { versionKey: false },
);

/**
 * A bank inside the app, for development, demos and tests, behaving like a real payout API: a transfer
 * is accepted at once (idempotent per payout id), settled later by a durable job (after
 * PAYOUT_SANDBOX_DELAY_MS), succeeds — or fails for the test card `FAILING_PAYOUT_CARD` — and its outcome
 * is sent as an HMAC-signed webhook to `/api/payouts/webhooks/sandbox` by another job, retried with
 * backoff until acknowledged.
 */
export function createSandboxPayoutProvider(deps: {
  connection: Connection;
  queue: JobQueue;
  secret: () => Promise<string>;
  webhookUrl: () => string;
  delayMs: number;
  clock?: Clock;
}) {
  const Transfers = modelOn<TransferDoc>(
    deps.connection,
    'SandboxTransfer',
    transferSchema,
    'sandbox_bank_transfers',
  );
  const Outcomes = modelOn(deps.connection, 'SandboxTransferOutcome', outcomeSchema, 'sandbox_bank_outcomes');
  const now = deps.clock ?? systemClock;

  const provider: PayoutProvider = {
    name: 'sandbox',
    async bindAccount(input) {
      const digits = input.number.replace(/\s/g, '');
      const failing = input.type === 'bank_card' && digits === FAILING_PAYOUT_CARD;
      return {
        token: `${failing ? FAILING_TOKEN_PREFIX : 'sbxacct_'}${randomBytes(12).toString('base64url')}`,
      };
    },
    async send(input) {
      let providerRef = `sbxtr_${randomBytes(10).toString('base64url')}`;
      try {
        await Transfers.create({
          _id: input.payoutId,
          providerRef,
          amount: input.amount,
          accountToken: input.accountToken,
          createdAt: now(),
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        providerRef = (await Transfers.findById(input.payoutId).lean<TransferDoc>())!.providerRef;
      }
      // Enqueued on a repeat too (the dedupe key keeps it one job): a sender killed between the insert
      // and this line would otherwise leave a transfer the bank never settles.
      await deps.queue.enqueue(
        SANDBOX_BANK_JOB,
        { payoutId: input.payoutId },
        { delayMs: deps.delayMs, dedupeKey: input.payoutId, maxAttempts: 10 },
      );
      return { providerRef };
    },
    async parseWebhook(rawBody, headers, at) {
      const fingerprint = verifyWebhook(await deps.secret(), rawBody, headers[SIGNATURE_HEADER], at);
      let event: { id?: unknown; type?: unknown; data?: Record<string, unknown> };
      try {
        event = JSON.parse(rawBody) as typeof event;
      } catch {
        throw new WebhookRejectedError('malformed', 'The body is not JSON');
      }
      const data = event.data ?? {};
      if (
        typeof event.id !== 'string' ||
        typeof data.payoutId !== 'string' ||
        typeof data.providerRef !== 'string'
      )
        throw new WebhookRejectedError('malformed', 'The event lacks id, payoutId or providerRef');
      if (!PAYOUT_WEBHOOK_TYPES.includes(event.type as PayoutWebhookType))
        throw new WebhookRejectedError('malformed', `Unknown event type ${JSON.stringify(event.type)}`);
      if (!Number.isSafeInteger(data.amount) || (data.amount as number) <= 0)
        throw new WebhookRejectedError('malformed', 'The amount is not a positive whole number of fen');
      return {
        id: event.id,
        type: event.type as PayoutWebhookType,
        payoutId: data.payoutId,
        providerRef: data.providerRef,
        amount: data.amount as number,
        currency: typeof data.currency === 'string' ? data.currency : '',
        failureReason: typeof data.failureReason === 'string' ? data.failureReason.slice(0, 200) : null,
        deliveryFingerprint: fingerprint,
      };
    },
  };

  /** The bank settles a transfer: one outcome per transfer (a unique insert), then its webhook. */
  const settle: JobHandler<{ payoutId: string }> = async ({ payoutId }) => {
    const transfer = await Transfers.findById(payoutId).lean<TransferDoc>();
    if (!transfer) return { missing: true };
    const status = transfer.accountToken.startsWith(FAILING_TOKEN_PREFIX) ? 'failed' : 'paid';
    await Outcomes.create({ _id: payoutId, status, at: now() }).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    const outcome = await Outcomes.findById(payoutId).lean<{ status: string }>();
    const event = {
      // One event per transfer: every redelivery (or a re-run of this job) carries the same id.
      id: `evt_${payoutId}`,
      type: outcome!.status === 'paid' ? 'payout.paid' : 'payout.failed',
      created: Math.floor(now().getTime() / 1000),
      data: {
        payoutId,
        providerRef: transfer.providerRef,
        amount: transfer.amount,
        currency: 'CNY',
        failureReason: outcome!.status === 'paid' ? null : 'The receiving bank rejected the account',
      },
    };
    await deps.queue.enqueue(
      SANDBOX_PAYOUT_WEBHOOK_JOB,
      { body: JSON.stringify(event) },
      { dedupeKey: payoutId, maxAttempts: 15 },
    );
    return { status: outcome!.status };
  };

  const deliver: JobHandler<{ body: string }> = async ({ body }, ctx) => {
    const res = await fetch(deps.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(await deps.secret(), body, now()),
      },
      body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
    if (!res.ok)
      throw new Error(`payout webhook answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return { status: res.status };
  };

  /** Whether the bank holds a transfer for `payoutId` (tests and the bench count transfers per payout). */
  async function transfersOf(payoutIds: string[]): Promise<number> {
    return Transfers.countDocuments({ _id: { $in: payoutIds } });
  }

  return { provider, settle, deliver, transfersOf };
}

export type SandboxPayouts = ReturnType<typeof createSandboxPayoutProvider>;
