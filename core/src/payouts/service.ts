import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { AuditLog } from '../audit';
import type { OpsAlerts } from '../alerts';
import { type Clock, systemClock } from '../clock';
import { ConflictError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import { WebhookRejectedError } from '../payments/signing';
import { isoWeek, type SettlementService } from '../settlement';
import { checkPayoutAccount } from './accounts';
import { payoutModels, type PayoutAccountDoc, type PayoutDoc, type PayoutStatus } from './model';
import type { PayoutAccountInput, PayoutProvider } from './port';

export const PAYOUTS_RUN_JOB = 'payouts.run';
export const PAYOUTS_RESUME_JOB = 'payouts.resume';

const RANK: Record<PayoutStatus, number> = { created: 0, sent: 1, paid: 2, failed: 2, refused: 2 };
/** The smallest payout a seller may ask for (the weekly run uses PAYOUT_MINIMUM_FEN). */
export const MIN_REQUESTED_PAYOUT_FEN = 100;

export interface Payout {
  id: string;
  sellerId: string;
  amount: number;
  kind: PayoutDoc['kind'];
  status: PayoutStatus;
  account: string;
  failureReason: string | null;
  retryOf: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const toPayout = (d: PayoutDoc): Payout => ({
  id: d._id,
  sellerId: d.sellerId,
  amount: d.amount,
  kind: d.kind,
  status: d.status,
  account: d.accountMasked,
  failureReason: d.failureReason ?? null,
  retryOf: d.retryOf ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface PayoutActor {
  id: string;
  roles: readonly string[];
}

/**
 * Paying sellers: the weekly run (available balances at or above PAYOUT_MINIMUM_FEN), a seller's own
 * request, and an admin's retry of a failed payout. Each payout: its document (a deterministic id), the
 * debit of the seller's available (`payout:<id>`, refused when available is short — decided on the
 * seller's stream, so a payout racing a refund in another process cannot overdraw), then the provider
 * (idempotent per payout id). The provider's webhook confirms (`payout_paid:<id>`) or reverses
 * (`payout_failed:<id>`, funds back to available). Each step is exactly-once, so a batch killed half-way
 * and run again continues where it stopped and pays nobody twice.
 */
export function createPayoutService(deps: {
  connection: Connection;
  settlement: Pick<
    SettlementService,
    | 'balanceOf'
    | 'debitForPayout'
    | 'confirmPayout'
    | 'reversePayout'
    | 'sellersWithAvailable'
    | 'payoutDebited'
  >;
  provider: PayoutProvider;
  bus: EventBus;
  audit: Pick<AuditLog, 'record'>;
  alerts: Pick<OpsAlerts, 'raise'>;
  log: Logger;
  minimumFen: number;
  timeZone: string;
  clock?: Clock;
}) {
  const { Payouts, Accounts, Events } = payoutModels(deps.connection);
  const now = deps.clock ?? systemClock;

  async function load(id: string): Promise<PayoutDoc> {
    const doc = await Payouts.findById(id).lean<PayoutDoc>();
    if (!doc) throw new NotFoundError('Payout');
    return doc;
  }

  /** Moves the document's status forward (never back: a late `sent` cannot undo a webhook's `paid`). */
  async function setStatus(doc: PayoutDoc, status: PayoutStatus, set: Partial<PayoutDoc> = {}) {
    const current = await load(doc._id);
    if (RANK[current.status] > RANK[status] || current.status === status) return current;
    const updated = { ...set, status, updatedAt: now() };
    await Payouts.updateOne({ _id: doc._id }, { $set: updated });
    await deps.bus.publish('payout.updated', {
      payoutId: doc._id,
      sellerId: doc.sellerId,
      status,
      amount: doc.amount,
      at: updated.updatedAt.toISOString(),
    });
    return { ...current, ...updated };
  }

  /** Creates the payout (or finds the one a previous run created under the same id). */
  async function create(
    input: Omit<PayoutDoc, 'status' | 'providerRef' | 'failureReason' | 'createdAt' | 'updatedAt'>,
  ) {
    const at = now();
    try {
      await Payouts.create({
        ...input,
        status: 'created',
        providerRef: null,
        failureReason: null,
        createdAt: at,
        updatedAt: at,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return load(input._id);
  }

  /** Debits and sends one payout; safe to run again at any point. */
  async function execute(doc: PayoutDoc): Promise<PayoutDoc> {
    if (RANK[doc.status] >= 2) return doc;
    const debit = await deps.settlement.debitForPayout(doc.sellerId, doc._id, doc.amount);
    if (!debit && !(await deps.settlement.payoutDebited(doc.sellerId, doc._id)))
      return setStatus(doc, 'refused', { failureReason: 'The available balance is smaller than the payout' });
    const { providerRef } = await deps.provider.send({
      payoutId: doc._id,
      amount: doc.amount,
      currency: 'CNY',
      accountToken: doc.accountToken,
      description: `Bazaar payout ${doc._id}`,
    });
    return setStatus(doc, 'sent', { providerRef });
  }

  async function accountOf(sellerId: string): Promise<PayoutAccountDoc | null> {
    return Accounts.findById(sellerId).lean<PayoutAccountDoc>();
  }

  const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

  return {
    async account(sellerId: string) {
      const doc = await accountOf(sellerId);
      return doc
        ? { type: doc.type, holder: doc.holder, masked: doc.masked, updatedAt: doc.updatedAt }
        : null;
    },

    /** Binds the seller's payout account with the provider; only the token and a masked number are kept. */
    async setAccount(sellerId: string, input: PayoutAccountInput) {
      const { masked, number } = checkPayoutAccount(input);
      const { token } = await deps.provider.bindAccount({ ...input, number });
      const doc = { type: input.type, holder: input.holder.trim(), masked, token, updatedAt: now() };
      await Accounts.updateOne({ _id: sellerId }, { $set: doc }, { upsert: true });
      return { type: doc.type, holder: doc.holder, masked, updatedAt: doc.updatedAt };
    },

    /** The seller asks to be paid `amount` (all available when absent) now; once per Idempotency-Key. */
    async request(sellerId: string, key: string, amount: number | null): Promise<Payout> {
      const account = await accountOf(sellerId);
      if (!account)
        throw new ConflictError('Add a payout account first', {
          fields: [{ field: 'body', message: 'no payout account' }],
        });
      const id = `po_${sellerId}_req_${hash(`${sellerId}\n${key}`)}`;
      const existing = await Payouts.findById(id).lean<PayoutDoc>();
      if (existing) return toPayout(existing);
      const { available } = await deps.settlement.balanceOf(sellerId);
      const value = amount ?? available;
      if (value < MIN_REQUESTED_PAYOUT_FEN || value > available)
        throw new ValidationError(
          [
            {
              field: 'body.amount',
              message: `from ${MIN_REQUESTED_PAYOUT_FEN} to ${Math.max(0, available)} fen (your available balance)`,
            },
          ],
          'The payout is larger than your available balance',
        );
      const doc = await create({
        _id: id,
        sellerId,
        amount: value,
        kind: 'requested',
        accountMasked: account.masked,
        accountToken: account.token,
        retryOf: null,
      });
      const done = await execute(doc);
      if (done.status === 'refused')
        throw new ConflictError('Your available balance changed; try a smaller amount', {
          status: 'refused',
        });
      return toPayout(done);
    },

    /**
     * The weekly run: every seller with an account and at least the minimum available is paid all of it,
     * under `po_<seller>_<isoWeek>`. Run again (a retried job after a crash), it finds the payouts it made.
     */
    async runScheduled(at: Date = now()): Promise<{ paid: number; skipped: number; week: string }> {
      const week = isoWeek(at, deps.timeZone);
      let paid = 0;
      let skipped = 0;
      // First what a run cut short (killed between the debit and the provider): those sellers' available
      // is already taken, so the scan below would not find them again.
      const unfinished = await Payouts.find({ status: 'created' }).limit(5000).lean<PayoutDoc[]>();
      for (const doc of unfinished) {
        const done = await execute(doc);
        if (done.status === 'sent' || done.status === 'paid') paid++;
      }
      for (const { sellerId } of await deps.settlement.sellersWithAvailable(deps.minimumFen)) {
        const id = `po_${sellerId}_${week}`;
        let doc = await Payouts.findById(id).lean<PayoutDoc>();
        if (!doc) {
          const account = await accountOf(sellerId);
          const { available } = await deps.settlement.balanceOf(sellerId);
          if (!account || available < deps.minimumFen) {
            skipped++;
            continue;
          }
          doc = await create({
            _id: id,
            sellerId,
            amount: available,
            kind: 'scheduled',
            accountMasked: account.masked,
            accountToken: account.token,
            retryOf: null,
          });
        }
        const done = await execute(doc);
        if (done.status === 'sent' || done.status === 'paid') paid++;
        else skipped++;
      }
      return { paid, skipped, week };
    },

    /** Payouts created or sent a while ago and not finished (a crash between steps): run them on. */
    async resume(olderThanMs = 5 * 60_000): Promise<{ resumed: number }> {
      const before = new Date(now().getTime() - olderThanMs);
      const stuck = await Payouts.find({ status: 'created', updatedAt: { $lt: before } })
        .limit(500)
        .lean<PayoutDoc[]>();
      for (const doc of stuck) await execute(doc);
      return { resumed: stuck.length };
    },

    /** An admin pays a failed payout again (a new payout, `<id>_retry`, for the same amount); audited. */
    async retry(actor: PayoutActor, payoutId: string, reason: string): Promise<Payout> {
      const failed = await load(payoutId);
      if (failed.status !== 'failed')
        throw new ConflictError('Only a failed payout can be retried', { status: failed.status });
      const account = await accountOf(failed.sellerId);
      if (!account) throw new ConflictError('The seller has no payout account');
      const doc = await create({
        _id: `${payoutId}_retry`,
        sellerId: failed.sellerId,
        amount: failed.amount,
        kind: 'retry',
        accountMasked: account.masked,
        accountToken: account.token,
        retryOf: payoutId,
      });
      const done = await execute(doc);
      await deps.audit.record({
        actor,
        action: 'payout.retried',
        target: { type: 'payout', id: payoutId },
        before: toPayout(failed),
        after: toPayout(done),
        reason,
      });
      return toPayout(done);
    },

    /** The provider's webhook: verified, each event processed once, checked against the payout. */
    async receiveWebhook(rawBody: string, headers: Record<string, string | undefined>) {
      const event = await deps.provider.parseWebhook(rawBody, headers, now());
      const key = `${deps.provider.name}:${event.id}`;
      try {
        await Events.create({ _id: key, state: 'received', at: now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const seen = await Events.findById(key).lean<{ state: string }>();
        if (seen?.state === 'processed')
          return { received: true as const, processed: false, duplicate: true };
      }
      const doc = await Payouts.findById(event.payoutId).lean<PayoutDoc>();
      if (!doc) throw new WebhookRejectedError('malformed', 'No such payout');
      if (doc.amount !== event.amount || (doc.providerRef && doc.providerRef !== event.providerRef))
        throw new WebhookRejectedError('malformed', 'The event does not match the payout');
      if (event.type === 'payout.paid') {
        await deps.settlement.confirmPayout(doc.sellerId, doc._id, doc.amount);
        await setStatus(doc, 'paid', { providerRef: event.providerRef });
        await deps.bus.publish('payout.sent', {
          payoutId: doc._id,
          sellerId: doc.sellerId,
          amount: doc.amount,
          at: now().toISOString(),
        });
      } else {
        await deps.settlement.reversePayout(doc.sellerId, doc._id, doc.amount);
        await setStatus(doc, 'failed', {
          providerRef: event.providerRef,
          failureReason: event.failureReason,
        });
        await deps.bus.publish('payout.failed', {
          payoutId: doc._id,
          sellerId: doc.sellerId,
          amount: doc.amount,
          reason: event.failureReason ?? 'The payout failed',
          at: now().toISOString(),
        });
        await deps.alerts.raise(`payout_failed:${doc._id}`, {
          kind: 'payout_failed',
          orderId: null,
          message: `Payout ${doc._id} of ${doc.amount} fen to seller ${doc.sellerId} failed: ${event.failureReason ?? 'no reason given'}`,
        });
      }
      await Events.updateOne({ _id: key }, { $set: { state: 'processed', at: now() } });
      return { received: true as const, processed: true, duplicate: false };
    },

    async get(payoutId: string): Promise<Payout> {
      return toPayout(await load(payoutId));
    },
    async listForSeller(sellerId: string, limit = 50): Promise<Payout[]> {
      const docs = await Payouts.find({ sellerId }).sort({ createdAt: -1 }).limit(limit).lean<PayoutDoc[]>();
      return docs.map(toPayout);
    },
    /** Payouts in flight (created, sent) and failed ones not retried, for the admin finance page. */
    async needingAttention(limit = 100): Promise<{ inFlight: Payout[]; failed: Payout[] }> {
      const docs = await Payouts.find({ status: { $in: ['created', 'sent', 'failed'] } })
        .sort({ createdAt: -1 })
        .limit(limit * 2)
        .lean<PayoutDoc[]>();
      const retried = new Set(
        (
          await Payouts.find({ retryOf: { $in: docs.map((d) => d._id) } }, { retryOf: 1 }).lean<PayoutDoc[]>()
        ).map((d) => d.retryOf),
      );
      return {
        inFlight: docs
          .filter((d) => d.status !== 'failed')
          .slice(0, limit)
          .map(toPayout),
        failed: docs
          .filter((d) => d.status === 'failed' && !retried.has(d._id))
          .slice(0, limit)
          .map(toPayout),
      };
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
